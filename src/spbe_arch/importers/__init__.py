"""Importers: bring outside files (BPMN process models, spreadsheets, RDF) into the repository."""
