"""SOP AP (PermenPANRB 35/2012): derived from BPMN models, edited, drawn and exported."""
