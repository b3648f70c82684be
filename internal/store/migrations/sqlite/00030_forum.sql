-- +goose Up
-- The support forum across organizations (issue 15, item 7; seed 002:
-- the support platform 68 municipalities had never heard of and 74 never
-- used). A thread is a question, an incident notice or expert advice;
-- its posts are the opening post and the answers. limit_org, when set,
-- limits the thread to that organization's subtree (and those above it);
-- NULL is everyone. The author's organization is the grant they posted
-- under. search_text is title and body folded (NFKC, lower case) for the
-- trigram index, so any three characters of a Japanese sentence find it.

CREATE TABLE forum_threads (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('question', 'notice', 'advice')),
    title TEXT NOT NULL CHECK (title <> ''),
    author TEXT NOT NULL CHECK (author <> ''),
    author_org TEXT NOT NULL REFERENCES organizations (code),
    limit_org TEXT REFERENCES organizations (code),
    created_at TEXT NOT NULL,
    last_post_at TEXT NOT NULL,
    -- The answer the asker accepted; NULL for none.
    accepted_post_id INTEGER,
    -- A thread hidden by a central administrator is gone from every list.
    hidden_by TEXT NOT NULL DEFAULT '',
    hidden_at TEXT
);
CREATE INDEX forum_threads_last ON forum_threads (last_post_at, id);
CREATE INDEX forum_threads_limit ON forum_threads (limit_org);

CREATE TABLE forum_thread_controls (
    thread_id INTEGER NOT NULL REFERENCES forum_threads (id),
    control_id TEXT NOT NULL CHECK (control_id <> ''),
    PRIMARY KEY (thread_id, control_id)
);
CREATE INDEX forum_thread_controls_control ON forum_thread_controls (control_id, thread_id);

CREATE TABLE forum_posts (
    id INTEGER PRIMARY KEY,
    thread_id INTEGER NOT NULL REFERENCES forum_threads (id),
    author TEXT NOT NULL CHECK (author <> ''),
    author_org TEXT NOT NULL REFERENCES organizations (code),
    body TEXT NOT NULL CHECK (body <> ''),
    search_text TEXT NOT NULL,
    created_at TEXT NOT NULL,
    -- YYYY-MM of created_at (UTC), what the usage page counts by.
    month TEXT NOT NULL CHECK (length(month) = 7),
    edited_at TEXT,
    hidden_by TEXT NOT NULL DEFAULT '',
    hidden_at TEXT
);
CREATE INDEX forum_posts_thread ON forum_posts (thread_id, id);
CREATE INDEX forum_posts_org ON forum_posts (author_org, month);

-- An edit keeps the text it replaced.
CREATE TABLE forum_post_edits (
    post_id INTEGER NOT NULL REFERENCES forum_posts (id),
    edited_at TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX forum_post_edits_post ON forum_post_edits (post_id);

-- Readers: one row per thread, user and day, however often they look.
CREATE TABLE forum_views (
    thread_id INTEGER NOT NULL REFERENCES forum_threads (id),
    user_name TEXT NOT NULL,
    org_code TEXT NOT NULL REFERENCES organizations (code),
    day TEXT NOT NULL CHECK (length(day) = 10),
    PRIMARY KEY (thread_id, user_name, day)
);
CREATE INDEX forum_views_org ON forum_views (org_code, day);

-- The trigram index of search_text (FTS5's trigram tokenizer: any three
-- characters match, whatever the script), kept by triggers.
CREATE VIRTUAL TABLE forum_fts USING fts5(search_text, content='forum_posts', content_rowid='id', tokenize='trigram');
-- +goose StatementBegin
CREATE TRIGGER forum_posts_ai AFTER INSERT ON forum_posts BEGIN
    INSERT INTO forum_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER forum_posts_au AFTER UPDATE OF search_text ON forum_posts BEGIN
    INSERT INTO forum_fts (forum_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO forum_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER forum_posts_au;
DROP TRIGGER forum_posts_ai;
DROP TABLE forum_fts;
DROP TABLE forum_views;
DROP TABLE forum_post_edits;
DROP TABLE forum_posts;
DROP TABLE forum_thread_controls;
DROP TABLE forum_threads;
