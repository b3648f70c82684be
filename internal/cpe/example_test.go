package cpe_test

import (
	"fmt"

	"mamori/internal/cpe"
)

func ExampleMatchesIncludingVersion() {
	// CVE-2024-0012 lists exact PAN-OS hotfix builds.
	criteria := cpe.MustParse("cpe:2.3:o:paloaltonetworks:pan-os:10.2.12:h1:*:*:*:*:*:*")
	for _, s := range []string{
		"cpe:2.3:o:paloaltonetworks:pan-os:10.2.12:h1:*:*:*:*:*:*",
		"cpe:2.3:o:paloaltonetworks:pan-os:10.2.12:*:*:*:*:*:*:*", // update not known
		"cpe:2.3:o:paloaltonetworks:pan-os:*:*:*:*:*:*:*:*",       // version not known
	} {
		fmt.Println(cpe.MatchesIncludingVersion(criteria, cpe.MustParse(s)))
	}
	// Output:
	// true
	// false
	// false
}

func ExampleParseURI() {
	n, err := cpe.ParseURI("cpe:/a:hp:insight_diagnostics:7.4.0.1570::~~online~win2003~x64~")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(n)
	fmt.Println(n.Key(), n.TargetSw.Value())
	// Output:
	// cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:*:*:*:online:win2003:x64:*
	// a:hp:insight_diagnostics win2003
}

func ExampleParse() {
	n, err := cpe.Parse(`cpe:2.3:a:bsdutils:bsdutils:1\:2.36.1-8\+deb11u1:*:*:*:*:*:*:*`)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(n.Version.Value())
	_, err = cpe.Parse("cpe:2.3:a:apache:http_server:2.*.1:*:*:*:*:*:*:*")
	fmt.Println(err)
	// Output:
	// 1:2.36.1-8+deb11u1
	// cpe: "cpe:2.3:a:apache:http_server:2.*.1:*:*:*:*:*:*:*": version "2.*.1": unquoted '*' inside the value; quote it with a backslash
}
