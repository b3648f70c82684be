// Package mamori holds the vocabulary of mamori, security governance software for
// government information systems: the register's entities and their fields, the
// domain types the rest of the program shares, and the error type.
//
// It imports only the standard library. Storage, file formats, the web and the
// command line live in packages under internal/ that depend on this one, never
// the other way round.
package mamori
