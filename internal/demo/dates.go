package demo

import "time"

// dateCache turns day offsets into "YYYY-MM-DD" values, boxed once each, so
// that millions of component records share a few thousand date values
// instead of formatting and allocating a string per field.
type dateCache struct {
	today time.Time
	boxed []any // index: day - dateLo
}

// The cached range: about 25 years back and 8 forward covers every date the
// generator draws; dates outside it are formatted on demand.
const (
	dateLo = day(-9200)
	dateHi = day(3000)
)

func newDateCache(today time.Time) dateCache {
	return dateCache{today: today, boxed: make([]any, dateHi-dateLo)}
}

func (c *dateCache) time(d day) time.Time { return c.today.AddDate(0, 0, int(d)) }

// get returns the date as a record value: a string, or nil for noDay.
func (c *dateCache) get(d day) any {
	if d == noDay {
		return nil
	}
	if d < dateLo || d >= dateHi {
		return c.time(d).Format(time.DateOnly)
	}
	v := c.boxed[d-dateLo]
	if v == nil {
		v = c.time(d).Format(time.DateOnly)
		c.boxed[d-dateLo] = v
	}
	return v
}

// dayOf returns the day offset of a calendar date.
func (c *dateCache) dayOf(y int, m time.Month, d int) day {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return day(t.Sub(c.today).Round(24*time.Hour) / (24 * time.Hour))
}

// fyStart returns the day offset of 1 April of fiscal year fy.
func (c *dateCache) fyStart(fy int) day { return c.dayOf(fy, time.April, 1) }

// fyEnd returns the day offset of 31 March ending fiscal year fy.
func (c *dateCache) fyEnd(fy int) day { return c.dayOf(fy+1, time.March, 31) }
