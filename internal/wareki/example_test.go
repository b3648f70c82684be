package wareki_test

import (
	"fmt"
	"time"

	"mamori/internal/wareki"
)

func ExampleParseFiscalYear() {
	for _, s := range []string{"令和7年度", "平成31年度", "FY2018", "平成33年度"} {
		fy, warns, err := wareki.ParseFiscalYear(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(s, "=", fy, fy.Japanese(), fy.Start().Format(time.DateOnly), "…", fy.End().Format(time.DateOnly))
		for _, w := range warns {
			fmt.Println("  warning:", w.Code)
		}
	}
	// Output:
	// 令和7年度 = FY2025 令和7年度 2025-04-01 … 2026-03-31
	// 平成31年度 = FY2019 令和元年度 2019-04-01 … 2020-03-31
	// FY2018 = FY2018 平成30年度 2018-04-01 … 2019-03-31
	// 平成33年度 = FY2021 令和3年度 2021-04-01 … 2022-03-31
	//   warning: nonexistent-era-year
}

func ExampleParseFiscalYearIn() {
	// Seed 000 writes 「平成28年度」 once, then 「28年度」.
	fy, _, err := wareki.ParseFiscalYearIn("28年度", wareki.Heisei)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(fy, fy.Japanese())
	// Output:
	// FY2016 平成28年度
}

func ExampleFormatDate() {
	fmt.Println(wareki.FormatDate(time.Date(2025, time.September, 12, 0, 0, 0, 0, time.UTC)))
	fmt.Println(wareki.FormatDate(time.Date(2019, time.May, 1, 0, 0, 0, 0, time.UTC)))
	fmt.Println(wareki.FormatDate(time.Date(2019, time.April, 30, 0, 0, 0, 0, time.UTC)))
	// Output:
	// 令和7年9月12日
	// 令和元年5月1日
	// 平成31年4月30日
}

func ExampleParseDate() {
	t, warns, err := wareki.ParseDate("H33.03.31")
	fmt.Println(t.Format(time.DateOnly), err)
	for _, w := range warns {
		fmt.Println(w)
	}
	// Output:
	// 2021-03-31 <nil>
	// nonexistent-era-year: 平成 has no year 33 (its last year was 31, ending 2019-04-30); read as 2021-03-31 (令和3年3月31日) by counting on
}
