-- +goose Up
-- Training under the education plan (統一基準 2.2.3, issue 15 item 5): the
-- courses an organization delivers in a fiscal year, who must take each
-- (an organization subtree, optionally one role) and each person's
-- attendance and comprehension test. PLN-07 reads whether an education
-- plan's year delivered anything, PLN-08 whether the people who must
-- attend did and understood (seed 004: outcomes, not the plan's existence).

CREATE TABLE training_courses (
    code TEXT NOT NULL,
    org_code TEXT NOT NULL REFERENCES organizations (code),
    fiscal_year INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('general', 'outsourcing', 'targeted_drill', 'executive', 'system_staff', 'other')),
    title TEXT NOT NULL,
    plan_code TEXT REFERENCES plans (code),
    delivered_from TEXT,
    delivered_until TEXT,
    pass_score INTEGER CHECK (pass_score BETWEEN 0 AND 100),
    PRIMARY KEY (code)
) WITHOUT ROWID;
CREATE INDEX training_courses_org_code_idx ON training_courses (org_code);
CREATE INDEX training_courses_plan_code_idx ON training_courses (plan_code);

CREATE TABLE training_requirements (
    course_code TEXT NOT NULL REFERENCES training_courses (code),
    org_code TEXT NOT NULL REFERENCES organizations (code),
    role TEXT CHECK (role IN ('ciso', 'deputy_ciso', 'chief_security_officer', 'audit_officer', 'security_officer', 'system_security_officer', 'authorizer', 'security_manager', 'system_manager', 'csirt_member', 'security_advisor', 'cloud_manager')),
    PRIMARY KEY (course_code, org_code)
) WITHOUT ROWID;
CREATE INDEX training_requirements_org_code_idx ON training_requirements (org_code);

CREATE TABLE training_attendance (
    course_code TEXT NOT NULL REFERENCES training_courses (code),
    person_code TEXT NOT NULL REFERENCES people (code),
    attended_on TEXT,
    test_taken INTEGER CHECK (test_taken IN (0, 1)),
    score INTEGER CHECK (score BETWEEN 0 AND 100),
    passed INTEGER CHECK (passed IN (0, 1)),
    PRIMARY KEY (course_code, person_code)
) WITHOUT ROWID;
CREATE INDEX training_attendance_person_code_idx ON training_attendance (person_code);

-- +goose Down
DROP TABLE training_attendance;
DROP TABLE training_requirements;
DROP TABLE training_courses;
