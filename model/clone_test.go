package model

import "testing"

// Clone is a deep copy: changing the copy's answers, evidence or links,
// in place or by appending, leaves the original, and the copy's other
// answers, as they were.
func TestCloneIsDeep(t *testing.T) {
	a := Assessment{Answers: map[string]Answer{
		"A": {Control: "A", Links: []EvidenceLink{{Entry: "E1"}}, Evidence: []EvidenceRef{{Title: "OQ"}}},
		"B": {Control: "B", Links: []EvidenceLink{{Entry: "E2"}}, Evidence: []EvidenceRef{{Title: "PQ"}}},
		"C": {Control: "C"},
	}}
	c := a.Clone()
	c.Answers["A"].Links[0].Note = "changed"
	c.Answers["A"].Evidence[0].Title = "changed"
	ans := c.Answers["A"]
	ans.Links = append(ans.Links, EvidenceLink{Entry: "E9"})
	ans.Evidence = append(ans.Evidence, EvidenceRef{Title: "appended"})
	c.Answers["A"] = ans
	if a.Answers["A"].Links[0].Note != "" || a.Answers["A"].Evidence[0].Title != "OQ" {
		t.Errorf("changing the copy changed the original: %+v", a.Answers["A"])
	}
	if b := c.Answers["B"]; b.Links[0].Entry != "E2" || b.Evidence[0].Title != "PQ" || len(b.Links) != 1 {
		t.Errorf("appending to one answer of the copy changed another: %+v", b)
	}
	if c.Answers["C"].Links != nil || c.Answers["C"].Evidence != nil {
		t.Errorf("an answer without links or evidence got some: %+v", c.Answers["C"])
	}
}
