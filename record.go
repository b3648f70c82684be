package mamori

// Record is one row of a register entity: a value per field, in the order of
// Entity.Fields. A value is nil when absent, otherwise:
//
//	Text, Code, Enum     string (an Enum holds its code)
//	Integer, Money,
//	FiscalYear           int64
//	Date                 string, "YYYY-MM-DD"
//	Bool                 bool
//
// This one shape is shared by the importers, the store and the exporters, so a
// value written and read back compares equal whatever the file format or database.
type Record []any
