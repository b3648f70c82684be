// Package notify tells people about workflow events (DESIGN C5; issue 14,
// item 7): an item assigned to them, a due date drawing near, an item
// escalated because it is overdue, and a daily digest of a person's events.
// It delivers by e-mail over SMTP and by webhooks (a JSON event signed
// with HMAC-SHA256), through an outbox in the store drained by a worker,
// so a mail server or receiver that is down never blocks or fails the
// action that caused the notification, and a restart loses nothing.
// Nothing is sent where no server and no webhook is configured.
//
// It imports mamori, store and audit (a delivery given up is audited),
// never web, api or app.
package notify

import (
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode"

	"mamori"
)

// Kind is the kind of an event.
type Kind string

// The kinds of event.
const (
	// Assignment: an item (a finding to remediate, a request to review)
	// was assigned to the recipient.
	Assignment Kind = "assignment"
	// DueSoon: the item's due date is drawing near.
	DueSoon Kind = "due_soon"
	// Escalation: the item is overdue and was escalated up the
	// organization tree to the recipient.
	Escalation Kind = "escalation"
	// Answered: someone answered the recipient's question on the support
	// forum (the event names the thread, never the answer's text).
	Answered Kind = "answered"
)

// Kinds lists the kinds of event, most urgent first (the order of a digest).
var Kinds = []Kind{Escalation, DueSoon, Assignment, Answered}

// labels names each kind in Japanese and English.
var labels = map[Kind][2]string{
	Assignment: {"担当の割当て", "Assigned to you"},
	DueSoon:    {"期限が近づいています", "Due date approaching"},
	Escalation: {"期限超過による上位への報告", "Escalated: overdue"},
	Answered:   {"質問に回答がありました", "Your question was answered"},
}

// Event is one thing to tell one person. A workflow fills it: the item
// (its ID, what kind of item it is, its title), the organization it
// belongs to, its due date, who is told (a user and the user's e-mail
// address) and where to see it.
type Event struct {
	Kind Kind `json:"kind"`
	// ItemID identifies the workflow item, e.g. "F-2026-0012".
	ItemID string `json:"item_id"`
	// ItemKind is what the item is: "finding", "request", "review"…
	ItemKind string `json:"item_kind"`
	// Subject is the item's title, as shown to people.
	Subject string `json:"subject"`
	// Org is the code of the organization the item belongs to.
	Org string `json:"organization"`
	// Due is the item's due date; zero when it has none.
	Due time.Time `json:"due_date,omitzero"`
	// RecipientUser is the mamori user told; RecipientEmail where the
	// e-mail goes ("" sends none, the webhooks still hear of it).
	RecipientUser  string `json:"recipient_user,omitempty"`
	RecipientEmail string `json:"recipient_email,omitempty"`
	// URL is the item's page.
	URL string `json:"url,omitempty"`
	// At is when the event happened.
	At time.Time `json:"at"`
}

// maxField bounds each text field of an event, in characters: an event
// names an item, it does not carry the item.
const maxField = 500

// Validate refuses an event a message cannot be made of: an unknown kind,
// no item ID, a control character (a line break would let a title add
// headers to an e-mail), an over-long field or a malformed address.
func (e Event) Validate() error {
	if _, ok := labels[e.Kind]; !ok {
		return mamori.Errorf(mamori.Invalid, "通知の種類「%s」は不明です（assignment, due_soon, escalation, answered のいずれか）",
			"unknown notification kind %q (one of assignment, due_soon, escalation, answered)", mamori.Excerpt(string(e.Kind)))
	}
	if e.ItemID == "" {
		return mamori.Errorf(mamori.Invalid, "通知に対象の ID がありません", "notification without an item ID")
	}
	for _, f := range []struct{ name, v string }{
		{"item_id", e.ItemID}, {"item_kind", e.ItemKind}, {"subject", e.Subject}, {"organization", e.Org},
		{"recipient_user", e.RecipientUser}, {"recipient_email", e.RecipientEmail}, {"url", e.URL},
	} {
		if err := checkText(f.name, f.v); err != nil {
			return err
		}
	}
	if e.RecipientEmail != "" {
		if _, err := parseAddress("recipient_email", e.RecipientEmail); err != nil {
			return err
		}
	}
	return nil
}

// checkText refuses a control character or more than maxField characters
// in field name.
func checkText(name, v string) error {
	if strings.IndexFunc(v, unicode.IsControl) >= 0 {
		return mamori.Errorf(mamori.Invalid, "通知の %s に改行などの制御文字があります", "notification %s holds a line break or other control character", name)
	}
	if n := len([]rune(v)); n > maxField {
		return mamori.Errorf(mamori.Invalid, "通知の %s が長すぎます（%d 文字、上限 %d）", "notification %s is too long (%d characters, at most %d)", name, n, maxField)
	}
	return nil
}

// parseAddress reads a bare e-mail address (no display name) for field.
func parseAddress(field, s string) (string, error) {
	bad := func() error {
		return mamori.Errorf(mamori.Invalid, "%s「%s」はメールアドレスではありません", "%s %q is not an e-mail address", field, mamori.Excerpt(s))
	}
	if strings.ContainsAny(s, "\r\n\x00") {
		return "", bad()
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != strings.TrimSpace(s) {
		return "", bad()
	}
	return a.Address, nil
}

// dateJA and dateEN render a due date.
func dateJA(t time.Time) string { return fmt.Sprintf("%d年%d月%d日", t.Year(), t.Month(), t.Day()) }
func dateEN(t time.Time) string { return t.Format("2006-01-02") }

// Message is an e-mail to send: one recipient, a subject and a plain-text
// body (UTF-8; the sender encodes both).
type Message struct {
	To      string `json:"to"`
	Subject string `json:"subject"`
	Text    string `json:"text"`
}

// Render makes the e-mail of an event: Japanese first, then English, in
// one message (a government office's mail reaches Japanese and foreign
// staff alike).
func (e Event) Render() Message {
	l := labels[e.Kind]
	title := mamori.Excerpt(e.Subject)
	if title == "" {
		title = e.ItemID
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n", l[0])
	fmt.Fprintf(&b, "件名: %s\n", e.Subject)
	fmt.Fprintf(&b, "対象: %s %s\n", e.ItemKind, e.ItemID)
	if e.Org != "" {
		fmt.Fprintf(&b, "組織: %s\n", e.Org)
	}
	if !e.Due.IsZero() {
		fmt.Fprintf(&b, "期限: %s\n", dateJA(e.Due))
	}
	if e.URL != "" {
		fmt.Fprintf(&b, "URL: %s\n", e.URL)
	}
	fmt.Fprintf(&b, "\n----\n\n%s\n\n", l[1])
	fmt.Fprintf(&b, "Subject: %s\n", e.Subject)
	fmt.Fprintf(&b, "Item: %s %s\n", e.ItemKind, e.ItemID)
	if e.Org != "" {
		fmt.Fprintf(&b, "Organization: %s\n", e.Org)
	}
	if !e.Due.IsZero() {
		fmt.Fprintf(&b, "Due: %s\n", dateEN(e.Due))
	}
	if e.URL != "" {
		fmt.Fprintf(&b, "URL: %s\n", e.URL)
	}
	b.WriteString("\n-- \nmamori\n")
	return Message{
		To:      e.RecipientEmail,
		Subject: fmt.Sprintf("[mamori] %s: %s / %s: %s", l[0], title, l[1], title),
		Text:    b.String(),
	}
}
