package mamori

// FieldType is the kind of value a register field holds. It decides how a
// value is parsed from a spreadsheet cell, stored, and written back out.
type FieldType int

// The field types.
const (
	Text       FieldType = iota // free text
	Code                        // an identifier: trimmed, no control characters
	Integer                     // a whole number, optionally bounded by Min/Max
	Money                       // yen, a non-negative whole number
	Date                        // a calendar date, ISO 8601 in files; Japanese era forms accepted
	FiscalYear                  // a 年度, named by the Gregorian year it starts in
	Bool                        // yes/no; はい/いいえ, ○/×, true/false accepted
	Enum                        // one of a fixed list of codes
)

func (t FieldType) String() string {
	return [...]string{"text", "code", "integer", "money", "date", "fiscal-year", "bool", "enum"}[t]
}

// EnumValue is one allowed value of an Enum field: a stable code stored in the
// database and JSON, and the labels a person reads and may type.
type EnumValue struct {
	Code string
	JA   string
	EN   string
}

// Field describes one column of a register entity: its database column (also
// the JSON key), its Japanese and English headers, its type and constraints.
type Field struct {
	Column   string
	JA       string
	EN       string
	Type     FieldType
	Key      bool   // part of the entity's natural key
	Required bool   // must be present (key fields always are)
	Ref      string // name of the entity whose natural key this field holds
	Enum     []EnumValue
	Min, Max int64  // bounds for Integer fields; both zero means unbounded
	Hint     string // a short Japanese explanation for the template's example row
}

// Mandatory reports whether a value must be given. Key fields must be given,
// except free-text key parts (a software vendor, a protocol), where the empty
// string is a legitimate value meaning "unknown" or "any".
func (f *Field) Mandatory() bool { return f.Required || (f.Key && f.Type != Text) }

// EnumByLabel finds the enum value whose code or Japanese or English label is s.
func (f *Field) EnumByLabel(s string) (EnumValue, bool) {
	for _, v := range f.Enum {
		if s == v.Code || s == v.JA || s == v.EN {
			return v, true
		}
	}
	return EnumValue{}, false
}

// EnumByCode finds the enum value with the given code.
func (f *Field) EnumByCode(code string) (EnumValue, bool) {
	for _, v := range f.Enum {
		if code == v.Code {
			return v, true
		}
	}
	return EnumValue{}, false
}

// Entity describes one kind of register record: a database table, a
// spreadsheet sheet, a CSV file and a JSON array of the import bundle.
type Entity struct {
	Name   string // table name, plural snake_case; also the CSV file name and JSON key
	JA     string // sheet name (at most 31 characters, Excel's limit)
	EN     string
	Fields []Field
	// Reference marks reference data that migrate seeds with defaults (the
	// clause list, the register items): a deployment may import its own,
	// and an otherwise empty register still holds these.
	Reference bool
}

// KeyFields returns the fields that make up the natural key, in order.
func (e *Entity) KeyFields() []*Field {
	var ks []*Field
	for i := range e.Fields {
		if e.Fields[i].Key {
			ks = append(ks, &e.Fields[i])
		}
	}
	return ks
}

// Field returns the field with the given column name, or nil.
func (e *Entity) Field(column string) *Field {
	for i := range e.Fields {
		if e.Fields[i].Column == column {
			return &e.Fields[i]
		}
	}
	return nil
}

// FieldIndex returns the position of the column in Fields, or -1.
func (e *Entity) FieldIndex(column string) int {
	for i := range e.Fields {
		if e.Fields[i].Column == column {
			return i
		}
	}
	return -1
}

// EntityByName returns the register entity with the given table name, or nil.
func EntityByName(name string) *Entity {
	for _, e := range Entities {
		if e.Name == name {
			return e
		}
	}
	return nil
}
