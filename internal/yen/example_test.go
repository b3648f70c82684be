package yen_test

import (
	"fmt"

	"mamori/internal/yen"
)

func ExampleParse() {
	// From seed 000: 契約額8億5639万余円.
	a, err := yen.Parse("8億5639万余円")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(a.Yen, a.Approx, yen.FormatPlain(a.Yen))
	// Output:
	// 856390000 true 856,390,000
}

func ExampleFormat() {
	fmt.Println(yen.Format(yen.Amount{Yen: 856390000, Approx: true}))
	fmt.Println(yen.Format(yen.Amount{Yen: 1000200000000}))
	fmt.Println(yen.Format(yen.Amount{Yen: 123456789}))
	// Output:
	// 8億5639万余円
	// 1兆2億円
	// 1億2345万6789円
}
