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
	ci := e.FieldIndex("category")
	for _, it := range b.items[e.Name] {
		if c, ok := it.rec[ci].(string); ok {
			if code, ok := classLabels[c]; ok {
				it.rec[ci] = code
			}
		}
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

// classLabels reads the default classes' names, and the labels the
// category column accepted when it was a fixed list, as their codes, so a
// file written as 「マルウェア感染」 or 「不正プログラム」 still imports. A
// deployment's own classes are named by their codes.
var classLabels = func() map[string]string {
	m := map[string]string{
		"不正プログラム": "malware", "Malware": "malware", "サービス不能攻撃": "dos", "Denial of service": "dos",
		"紛失・盗難": "loss", "Loss or theft": "loss", "誤送信・誤送付": "misdelivery", "Misdelivery": "misdelivery",
		"障害": "failure", "Information leak": "leak", "Unauthorized access": "unauthorized_access",
	}
	for _, c := range mamori.DefaultIncidentClasses {
		m[c.Name], m[c.NameEN] = c.Code, c.Code
	}
	return m
}()
