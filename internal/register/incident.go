package register

import "mamori"

// checkIncidents refuses an incident whose timeline is out of order
// (recovered before detected, a time that is no HH:MM time, closed
// without recovery), naming the column to blame: the outcome metrics
// (time to detect, report and recover) read these dates, and one negative
// duration would make them lie. Only the columns the input carries are
// compared; a file with some of them leaves the others as stored, and the
// workflow checks what it stamps against the whole record.
func (b *batch) checkIncidents() {
	e := mamori.EntityByName("incidents")
	for _, it := range b.items[e.Name] {
		get := func(col string) string {
			s, _ := it.rec[e.FieldIndex(col)].(string)
			return s
		}
		p := mamori.CheckIncidentTimeline(get)
		if p == nil {
			continue
		}
		loc := it.loc
		fi := e.FieldIndex(p.Field)
		loc.Column = p.Field
		if it.labels != nil && it.labels[fi] != "" {
			loc.Column = it.labels[fi]
		}
		loc.Value = get(p.Field)
		b.problemText(loc, p.JA, p.EN)
	}
}
