package register

import (
	"context"
	"fmt"

	"mamori"
	"mamori/internal/store"
)

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

// workflowColumns are the incident columns a response item's steps write
// (workflow.Incident): for an incident recorded through mamori they are
// the workflow's, and a file may not say otherwise.
var workflowColumns = []string{"reported_on", "reported_time", "reported_to", "contained_on", "contained_time",
	"recovered_on", "recovered_time", "closed_on"}

// checkIncidentItems refuses a change, by import or by the register
// editor, to a column the response item of an incident stamped: the
// register and the workflow must never disagree on when a step was taken.
func (b *batch) checkIncidentItems(ctx context.Context, st *store.Store) error {
	e := mamori.EntityByName("incidents")
	items := b.items[e.Name]
	if len(items) == 0 {
		return nil
	}
	followed, err := st.WorkflowItems(ctx, store.WorkflowFilter{Kind: "incident"})
	if err != nil {
		return err
	}
	has := map[string]bool{}
	for _, it := range followed {
		has[it.Details["incident_code"]] = true
	}
	for _, it := range items {
		code, _ := it.rec[e.FieldIndex("code")].(string)
		if !has[code] {
			continue
		}
		stored, err := st.IncidentByCode(ctx, code)
		if err != nil {
			return err
		}
		cur := map[string]string{"reported_on": stored.ReportedOn, "reported_time": stored.ReportedTime, "reported_to": stored.ReportedTo,
			"contained_on": stored.ContainedOn, "contained_time": stored.ContainedTime, "recovered_on": stored.RecoveredOn,
			"recovered_time": stored.RecoveredTime, "closed_on": stored.ClosedOn}
		for _, col := range workflowColumns {
			fi := e.FieldIndex(col)
			if it.update != nil && !it.update[fi] {
				continue
			}
			v, _ := it.rec[fi].(string)
			if v == cur[col] {
				continue
			}
			loc := it.loc
			loc.Column = col
			if it.labels != nil && it.labels[fi] != "" {
				loc.Column = it.labels[fi]
			}
			loc.Value = v
			b.problemText(loc, fmt.Sprintf("インシデント「%s」の「%s」は対応の案件（ワークフロー）が記録します（記録済み: 「%s」）", code, e.Fields[fi].JA, cur[col]),
				fmt.Sprintf("incident %s: %s is recorded by its response item (recorded: %q)", code, e.Fields[fi].EN, cur[col]))
		}
	}
	return nil
}
