# SPARQL Update cases for tests/api/test_sparql_update_effect.py (written for this project).
# Each case: a line `### name`, then the update text; the prefixes ex: and xsd: are
# declared before every case.

### insert data
INSERT DATA { ex:x ex:p 9 . GRAPH ex:g4 { ex:x ex:q 'new' } }

### insert data existing
INSERT DATA { ex:a ex:p 1 . ex:a ex:p 7 }

### insert data bnodes
INSERT DATA { _:b1 ex:p _:b2 . _:b2 ex:p ex:a . [] ex:q 1 }

### delete data
DELETE DATA { ex:a ex:p 1 . ex:a ex:p 99 . GRAPH ex:g1 { ex:a ex:q 'x' } }

### delete data typed
DELETE DATA { ex:c ex:p "3"^^xsd:decimal }

### delete where
DELETE WHERE { ex:a ?p ?o }

### delete where graph var
DELETE WHERE { GRAPH ?g { ?s ex:q 'x' } }

### delete where bnode subject
DELETE WHERE { ?s ex:name 'Anonim' ; ?p ?o }

### delete insert where
DELETE { ?s ex:p ?o } INSERT { ?s ex:p2 ?o } WHERE { ?s ex:p ?o }

### insert where bnode template
INSERT { ?s ex:tag [ ex:label ?n ] } WHERE { ?s ex:name ?n }

### insert where bnode template labelled
INSERT { _:t ex:of ?s . _:t ex:also _:u } WHERE { ?s ex:p ?o }

### insert existing bnode
INSERT { ?x ex:seen true } WHERE { ex:a ex:knows ?x }

### with
WITH ex:g1 DELETE { ?s ex:q ?o } INSERT { ?s ex:q2 ?o } WHERE { ?s ex:q ?o }

### with insert only
WITH ex:g2 INSERT { ?s ex:copied true } WHERE { ?s ex:q ?o }

### using
INSERT { GRAPH ex:g5 { ?s ex:q ?o } } USING ex:g1 USING ex:g2 WHERE { ?s ex:q ?o }

### using named
INSERT { ?s ex:from ?g } USING NAMED ex:g2 WHERE { GRAPH ?g { ?s ?p ?o } }

### using and with
WITH ex:g3 INSERT { ?s ex:w 1 } USING ex:g1 WHERE { ?s ex:q ?o }

### with using named only
WITH ex:g3 DELETE { ?s ?p ?o } USING NAMED ex:g1 WHERE { GRAPH ex:g1 { ?s ?p ?o } }

### graph var template
DELETE { GRAPH ?g { ?s ex:q ?o } } INSERT { GRAPH ?g { ?s ex:q 'changed' } } WHERE { GRAPH ?g { ?s ex:q ?o } FILTER(?o != 'y') }

### unbound in template
INSERT { ?s ex:opt ?missing . ?s ex:has true } WHERE { ?s ex:p ?o OPTIONAL { ?s ex:nothing ?missing } }

### literal subject skipped
INSERT { ?o ex:back ?s } WHERE { ?s ex:name ?o }

### bnode as predicate skipped
INSERT { ?s ?x 1 . ?s ex:ok 1 } WHERE { ex:a ex:knows ?x . BIND(ex:a AS ?s) }

### no solutions
DELETE { ?s ?p ?o } WHERE { ?s ex:nothing ?o ; ?p ?o }

### empty where
INSERT { ex:k ex:v _:x } WHERE {}

### union where
INSERT { ex:k ex:v _:x } WHERE { {} UNION {} }

### filter exists
DELETE { ?s ex:p ?o } WHERE { ?s ex:p ?o FILTER EXISTS { GRAPH ex:g1 { ?s ?q ?v } } }

### subselect
INSERT { ex:stat ex:count ?n } WHERE { SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } }

### bind and values
INSERT { ?s ex:double ?d } WHERE { VALUES ?s { ex:a ex:b } ?s ex:p ?o BIND(?o * 2 AS ?d) }

### multi op sees earlier
INSERT DATA { ex:new ex:p 5 } ;
DELETE { ?s ex:p ?o } INSERT { ?s ex:big ?o } WHERE { ?s ex:p ?o FILTER(?o > 2) }

### multi op delete then reinsert
DELETE DATA { ex:a ex:p 1 } ; INSERT DATA { ex:a ex:p 1 }

### multi op insert then delete
INSERT DATA { ex:z ex:p 1 } ; DELETE DATA { ex:z ex:p 1 }

### multi op graph var later
DROP GRAPH ex:g1 ; INSERT { ?s ex:in ?g } WHERE { GRAPH ?g { ?s ?p ?o } }

### multi op with dirty
WITH ex:g1 DELETE { ?s ex:q ?o } WHERE { ?s ex:q 'x' } ; WITH ex:g1 INSERT { ?s ex:left ?o } WHERE { ?s ex:q ?o }

### multi op using dirty
INSERT DATA { GRAPH ex:g2 { ex:d ex:q 'new' } } ; INSERT { ?s ex:seen2 ?o } USING ex:g2 WHERE { ?s ex:q ?o }

### multi op bnode chain
INSERT { ?s ex:node [ ex:v 1 ] } WHERE { ?s ex:p 1 } ; DELETE { ?n ex:v 1 } INSERT { ?n ex:v 2 } WHERE { ?s ex:node ?n }

### base relative
BASE <http://example.org/>
INSERT DATA { <rel> <p> <o> . GRAPH <g9> { <rel> <p> 1 } }

### clear graph
CLEAR GRAPH ex:g1

### clear default
CLEAR DEFAULT

### clear named
CLEAR NAMED

### clear all
CLEAR ALL

### clear silent missing
CLEAR SILENT GRAPH ex:nope

### drop graph
DROP GRAPH ex:g2

### drop all
DROP ALL

### drop named
DROP NAMED

### drop default
DROP DEFAULT

### create
CREATE GRAPH ex:g7 ; INSERT DATA { GRAPH ex:g7 { ex:a ex:b ex:c } }

### copy
COPY ex:g1 TO ex:g2

### copy to default
COPY GRAPH ex:g1 TO DEFAULT

### copy self
COPY ex:g1 TO ex:g1

### copy new
COPY ex:g3 TO ex:g8

### move
MOVE ex:g2 TO ex:g3

### move default
MOVE DEFAULT TO GRAPH ex:g1

### add
ADD ex:g1 TO ex:g2

### add default
ADD ex:g2 TO DEFAULT

### add silent missing
ADD SILENT ex:nope TO ex:g1

### copy then where
COPY ex:g1 TO ex:g3 ; INSERT { ?s ex:after ?o } USING ex:g3 WHERE { ?s ex:q ?o }

### comments and strings
# a comment with { brace ;
INSERT DATA { ex:a ex:note "semi ; and } brace" } ; # another ;
DELETE WHERE { ex:b ex:name ?n }

### lang and datatypes
INSERT { ?s ex:label ?l } WHERE { ?s ex:name ?n BIND(STRLANG(STR(?n), "id") AS ?l) }

### trailing semicolon
INSERT DATA { ex:t ex:p 1 } ;

### lowercase keywords
delete { ?s ex:p ?o } insert { ?s ex:p 0 } where { ?s ex:p ?o filter(?o = 2) }

### dollar variables
DELETE { $s ex:p $o } WHERE { $s ex:p $o . FILTER(isBlank($s)) }

### escaped literal
INSERT DATA { ex:e ex:t "tab\tquote\" newline\n unicode \u00e9" }
