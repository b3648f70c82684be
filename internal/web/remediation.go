package web

import "mamori/internal/notify"

// WithNotifier makes the workflow pages tell people of what they do (an
// assignment mails the assignee) through n; without it nobody is told.
func WithNotifier(n *notify.Notifier) Option {
	return func(s *server) { s.wf.Notifier = n }
}
