package register_test

import (
	"errors"
	"maps"
	"strings"
	"testing"

	"mamori"
	"mamori/internal/register"
)

// TestImportTrainingScope: a user of ministry MA imports training. Its own
// course, requirement and attendance go in; a course under MB, a
// requirement on MB's course or naming MB, attendance on MB's course or of
// MB's staff, and a score out of range are refused with the row, the field
// and the reason, and nothing is written.
func TestImportTrainingScope(t *testing.T) {
	fixture := map[string]string{
		"people.csv": "code,org_code,name,status\nPA,MA-1,甲職員,active\nPB,MB,乙職員,active\n",
		"training_courses.csv": "code,org_code,fiscal_year,kind,title\n" +
			"TA,MA,2025,general,甲省研修\nTB,MB,2025,general,乙省研修\n",
	}
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  [][]string
	}{
		{"own course, requirement and attendance", map[string]string{
			"training_courses.csv":      "code,org_code,fiscal_year,kind,title,pass_score\nTA2,MA-1,2025,outsourcing,局研修,70\n",
			"training_requirements.csv": "course_code,org_code,role\nTA2,MA-1,\nTA,MA,security_officer\n",
			"training_attendance.csv":   "course_code,person_code,attended_on,test_taken,score,passed\nTA2,PA,2025-07-01,はい,85,\n",
		}, nil},
		{"course under another ministry", map[string]string{
			"training_courses.csv": "code,org_code,fiscal_year,kind,title\nTX,MB,2025,general,他省研修\n",
		}, [][]string{{"row 2", `"MB"`, "組織「MB」への取込み権限がありません"}}},
		{"requirement on another ministry's course", map[string]string{
			"training_requirements.csv": "course_code,org_code\nTB,MA\n",
		}, [][]string{{"row 2", "TB", "該当する研修がありません"}}},
		{"requirement naming another ministry", map[string]string{
			"training_requirements.csv": "course_code,org_code\nTA,MB\n",
		}, [][]string{{"row 2", `"MB"`, "組織「MB」への取込み権限がありません"}}},
		{"attendance on another ministry's course", map[string]string{
			"training_attendance.csv": "course_code,person_code,attended_on\nTB,PA,2025-07-01\n",
		}, [][]string{{"row 2", "TB", "該当する研修がありません"}}},
		{"attendance of another ministry's staff", map[string]string{
			"training_attendance.csv": "course_code,person_code,attended_on\nTA,PB,2025-07-01\n",
		}, [][]string{{"row 2", "PB", "該当する職員がありません"}}},
		{"score out of range", map[string]string{
			"training_attendance.csv": "course_code,person_code,attended_on,score\nTA,PA,2025-07-01,101\n",
		}, [][]string{{"row 2", "得点", "101"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := scopeStore(t)
			if _, err := register.Import(t.Context(), s, inputs(fixture)); err != nil {
				t.Fatalf("fixture: %v", err)
			}
			before := registerCounts(t, s)
			_, err := register.ImportScoped(t.Context(), s, inputs(tc.files), register.Options{Allow: inMA})
			if tc.want == nil {
				if err != nil {
					t.Fatalf("ImportScoped: %v", err)
				}
				return
			}
			probs, ok := errors.AsType[mamori.Problems](err)
			if !ok {
				t.Fatalf("ImportScoped = %v, want problems", err)
			}
			if len(probs) != len(tc.want) {
				t.Fatalf("%d problems, want %d:\n%v", len(probs), len(tc.want), probs)
			}
			for i, p := range probs {
				text := p.Error() + " " + p.Bilingual()
				for _, w := range tc.want[i] {
					if !strings.Contains(text, w) {
						t.Errorf("problem %d %q lacks %q", i, text, w)
					}
				}
			}
			if after := registerCounts(t, s); !maps.Equal(before, after) {
				t.Errorf("a refused import changed the store: %v → %v", before, after)
			}
		})
	}
}
