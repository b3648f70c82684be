package api_test

import (
	"encoding/json"
	"strings"
	"testing"

	"mamori"
	"mamori/internal/api"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// trainingFixture adds to the API fixture a course of each ministry with
// its people, who must attend and who did: ministry A's 3 staff must take
// TR-A, 2 attended and 1 passed; ministry B's course says nobody must.
func trainingFixture(t *testing.T, st *store.Store) {
	t.Helper()
	err := st.Load(t.Context(), store.LoadOptions{}, func(l *store.Loader) error {
		put := func(entity string, rs ...map[string]any) error {
			var recs []mamori.Record
			for _, r := range rs {
				recs = append(recs, rec(entity, r))
			}
			return l.Put(mamori.EntityByName(entity), recs)
		}
		person := func(code, org string) map[string]any {
			return map[string]any{"code": code, "org_code": org, "name": "職員" + code, "status": "active"}
		}
		if err := put("people", person("PA1", "A-C"), person("PA2", "A-C"), person("PA3", "A-C"), person("PB1", "B-C")); err != nil {
			return err
		}
		if err := put("training_courses",
			map[string]any{"code": "TR-A", "org_code": "MIN-A", "fiscal_year": int64(2026), "kind": "general", "title": "甲省研修",
				"delivered_from": "2026-06-01", "pass_score": int64(70)},
			map[string]any{"code": "TR-B", "org_code": "MIN-B", "fiscal_year": int64(2026), "kind": "outsourcing", "title": "乙省秘密研修"}); err != nil {
			return err
		}
		if err := put("training_requirements", map[string]any{"course_code": "TR-A", "org_code": "MIN-A"}); err != nil {
			return err
		}
		return put("training_attendance",
			map[string]any{"course_code": "TR-A", "person_code": "PA1", "attended_on": "2026-06-01", "test_taken": true, "score": int64(90)},
			map[string]any{"course_code": "TR-A", "person_code": "PA2", "attended_on": "2026-06-02", "test_taken": true, "score": int64(40)},
			map[string]any{"course_code": "TR-B", "person_code": "PB1", "attended_on": "2026-07-01"})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestTrainingAPI: the courses and rates within the caller's
// organizations, every response checked against openapi.yaml; another
// ministry's course answers 404 like a missing one, and the whole
// government's caller sees both.
func TestTrainingAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		tokens := fixture(t, st)
		trainingFixture(t, st)
		h := api.New(st, nil)
		router := validator(t)

		code, body := get(t, h, router, tokens["alice"], "/api/v1/training?fiscal_year=2026")
		if code != 200 {
			t.Fatalf("alice list = %d\n%s", code, body)
		}
		var l api.TrainingList
		if err := json.Unmarshal([]byte(body), &l); err != nil {
			t.Fatal(err)
		}
		if len(l.Courses) != 1 || l.Courses[0].Code != "TR-A" || strings.Contains(body, "乙省") {
			t.Fatalf("alice sees %s", body)
		}
		c := l.Courses[0]
		if c.Required != 3 || c.Attended != 2 || c.Passed != 1 || c.AttendancePermille == nil || *c.AttendancePermille != 666 ||
			c.PassPermille == nil || *c.PassPermille != 333 {
			t.Errorf("TR-A counts: %+v", c)
		}
		if len(l.Organizations) != 1 || l.Organizations[0].OrgCode != "MIN-A" || l.Total.Required != 3 {
			t.Errorf("totals: %+v %+v", l.Organizations, l.Total)
		}

		if code, body := get(t, h, router, tokens["alice"], "/api/v1/training/TR-B"); code != 404 || strings.Contains(body, "乙省") {
			t.Errorf("alice reads B's course = %d\n%s", code, body)
		}
		if code, _ := get(t, h, router, tokens["alice"], "/api/v1/training?org=MIN-B"); code != 404 {
			t.Errorf("alice lists B's organization = %d, want 404", code)
		}
		code, body = get(t, h, router, tokens["alice"], "/api/v1/training/TR-A")
		if code != 200 {
			t.Fatalf("alice reads TR-A = %d\n%s", code, body)
		}
		var d api.TrainingDetail
		if err := json.Unmarshal([]byte(body), &d); err != nil {
			t.Fatal(err)
		}
		if len(d.People) != 3 || d.People[2].PersonCode != "PA3" || d.People[2].AttendedOn != "" || !d.People[2].Required {
			t.Errorf("TR-A people: %+v", d.People)
		}
		if d.People[1].Passed == nil || *d.People[1].Passed {
			t.Errorf("a score under the pass mark passed: %+v", d.People[1])
		}

		// Ministry B's course says nobody must attend: no rate, not zero.
		code, body = get(t, h, router, tokens["dave"], "/api/v1/training")
		if code != 200 || !strings.Contains(body, "TR-B") || !strings.Contains(body, "TR-A") {
			t.Fatalf("dave = %d\n%s", code, body)
		}
		if err := json.Unmarshal([]byte(body), &l); err != nil {
			t.Fatal(err)
		}
		for _, c := range l.Courses {
			if c.Code == "TR-B" && (c.Judged || c.AttendancePermille != nil || c.Others != 1) {
				t.Errorf("TR-B without requirements: %+v", c)
			}
		}
		if code, body := get(t, h, router, tokens["carol"], "/api/v1/training"); code != 200 || strings.Contains(body, "TR-") {
			t.Errorf("carol without grants = %d\n%s", code, body)
		}
		if code, _ := get(t, h, router, tokens["alice"], "/api/v1/training?fiscal_year=x"); code != 400 {
			t.Errorf("a fiscal year that is no year = %d, want 400", code)
		}
	})
}

// TestAttackTrainingCrossMinistry: ministry B's officer tries to write
// ministry A's training through the register's write API: attendance on
// A's course or for A's staff, a requirement on A's course or naming A's
// organization, a change to A's course. Each is refused, and a score out
// of range is refused naming the field.
func TestAttackTrainingCrossMinistry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		fixture(t, st)
		trainingFixture(t, st)
		tok := writeTokens(t, st)
		h := api.New(st, nil)
		b := tok["officer-b/write"]
		for _, c := range []struct{ path, body string }{
			{"/api/v1/register/training_attendance", `{"course_code":"TR-A","person_code":"PB1","attended_on":"2026-06-01"}`},
			{"/api/v1/register/training_attendance", `{"course_code":"TR-B","person_code":"PA3","attended_on":"2026-06-01"}`},
			{"/api/v1/register/training_requirements", `{"course_code":"TR-A","org_code":"MIN-B"}`},
			{"/api/v1/register/training_requirements", `{"course_code":"TR-B","org_code":"MIN-A"}`},
			{"/api/v1/register/training_courses", `{"code":"TR-B2","org_code":"MIN-A","fiscal_year":"2026","kind":"general","title":"x"}`},
		} {
			res := send(t, h, nil, b, "POST", c.path, c.body, nil)
			if res.Code < 400 || res.Code == 500 {
				t.Errorf("B: POST %s %s = %d\n%s", c.path, c.body, res.Code, res.Body.String())
			}
			if strings.Contains(res.Body.String(), "甲省研修") || strings.Contains(res.Body.String(), "職員PA") {
				t.Errorf("the refusal shows A's data\n%s", res.Body.String())
			}
		}
		if res := send(t, h, nil, b, "PUT", "/api/v1/register/training_courses/TR-A",
			`{"code":"TR-A","org_code":"MIN-B","fiscal_year":"2026","kind":"general","title":"乗っ取り"}`, map[string]string{"If-Match": "*"}); res.Code != 404 {
			t.Errorf("B changing A's course = %d, want 404\n%s", res.Code, res.Body.String())
		}
		res := send(t, h, nil, b, "POST", "/api/v1/register/training_attendance", `{"course_code":"TR-B","person_code":"PB1","attended_on":"2026-07-02","score":"101"}`, nil)
		if res.Code != 422 || !strings.Contains(res.Body.String(), "score") {
			t.Errorf("a score of 101 = %d\n%s", res.Code, res.Body.String())
		}
		// Nothing of it was written.
		cs, people, err := st.TrainingCourse(t.Context(), "TR-A", nil)
		if err != nil {
			t.Fatal(err)
		}
		if cs.Title != "甲省研修" || len(cs.Requirements) != 1 || len(people) != 3 {
			t.Errorf("A's course after the attempts: %+v %+v", cs, people)
		}
		if _, _, err := st.TrainingCourse(t.Context(), "TR-B2", nil); err == nil {
			t.Error("TR-B2 was created under ministry A")
		}
	})
}
