package oscal

import "time"

// OSCALVersion is the OSCAL version of every document this package writes,
// and of the embedded schema.
const OSCALVersion = "1.1.2"

// OSCALNamespace is the namespace a property or part is in when its ns is
// absent: NIST's own. The property helpers treat "" and OSCALNamespace as the
// same namespace.
const OSCALNamespace = "http://csrc.nist.gov/ns/oscal"

// MamoriNamespace is the ns of mamori's own properties and parts. OSCAL
// requires ns to be an absolute URI (the schema's URIDatatype: format "uri"
// and the pattern ^[a-zA-Z][a-zA-Z0-9+\-.]+:.+$); a URN is one, and the
// tests prove that the embedded schema accepts it. A URN rather than an
// https URL because mamori owns no domain to put here.
const MamoriNamespace = "urn:mamori:oscal"

// Metadata is OSCAL's document metadata, shared by every model. Title,
// LastModified, Version and OSCALVersion are required.
type Metadata struct {
	Title              string             `json:"title"`
	Published          time.Time          `json:"published,omitzero"`
	LastModified       time.Time          `json:"last-modified"`
	Version            string             `json:"version"`
	OSCALVersion       string             `json:"oscal-version"`
	Revisions          []Revision         `json:"revisions,omitempty"`
	DocumentIDs        []DocumentID       `json:"document-ids,omitempty"`
	Props              []Property         `json:"props,omitempty"`
	Links              []Link             `json:"links,omitempty"`
	Roles              []Role             `json:"roles,omitempty"`
	Locations          []Location         `json:"locations,omitempty"`
	Parties            []Party            `json:"parties,omitempty"`
	ResponsibleParties []ResponsibleParty `json:"responsible-parties,omitempty"`
	Actions            []Action           `json:"actions,omitempty"`
	Remarks            string             `json:"remarks,omitempty"`
}

// NewMetadata returns metadata with the given title, document version and
// last-modified time, and OSCALVersion "1.1.2". The time is a parameter, not
// time.Now, so that an export can be reproduced byte for byte.
func NewMetadata(title, version string, lastModified time.Time) Metadata {
	return Metadata{
		Title:        title,
		LastModified: lastModified,
		Version:      version,
		OSCALVersion: OSCALVersion,
	}
}

// Revision is one entry of a document's revision history.
type Revision struct {
	Title        string     `json:"title,omitempty"`
	Published    time.Time  `json:"published,omitzero"`
	LastModified time.Time  `json:"last-modified,omitzero"`
	Version      string     `json:"version"`
	OSCALVersion string     `json:"oscal-version,omitempty"`
	Props        []Property `json:"props,omitempty"`
	Links        []Link     `json:"links,omitempty"`
	Remarks      string     `json:"remarks,omitempty"`
}

// DocumentID is an identifier of a document in some scheme (for example a
// DOI).
type DocumentID struct {
	Scheme     string `json:"scheme,omitempty"`
	Identifier string `json:"identifier"`
}

// Property is an OSCAL prop: a name/value pair in a namespace. Name and
// Value are required. Value must be one line with no leading or trailing
// white space (the schema's StringDatatype pattern ^\S(.*\S)?$); longer text
// belongs in a part's prose.
type Property struct {
	Name    string `json:"name"`
	UUID    string `json:"uuid,omitempty"`
	NS      string `json:"ns,omitempty"`
	Value   string `json:"value"`
	Class   string `json:"class,omitempty"`
	Group   string `json:"group,omitempty"`
	Remarks string `json:"remarks,omitempty"`
}

// Link is an OSCAL link. Href is required and may be a fragment ("#uuid")
// pointing into back-matter.
type Link struct {
	Href             string `json:"href"`
	Rel              string `json:"rel,omitempty"`
	MediaType        string `json:"media-type,omitempty"`
	ResourceFragment string `json:"resource-fragment,omitempty"`
	Text             string `json:"text,omitempty"`
}

// Role is a role parties can play, referred to by its ID.
type Role struct {
	ID          string     `json:"id"`
	Title       string     `json:"title"`
	ShortName   string     `json:"short-name,omitempty"`
	Description string     `json:"description,omitempty"`
	Props       []Property `json:"props,omitempty"`
	Links       []Link     `json:"links,omitempty"`
	Remarks     string     `json:"remarks,omitempty"`
}

// Location is a physical place.
type Location struct {
	UUID             string            `json:"uuid"`
	Title            string            `json:"title,omitempty"`
	Address          *Address          `json:"address,omitempty"`
	EmailAddresses   []string          `json:"email-addresses,omitempty"`
	TelephoneNumbers []TelephoneNumber `json:"telephone-numbers,omitempty"`
	URLs             []string          `json:"urls,omitempty"`
	Props            []Property        `json:"props,omitempty"`
	Links            []Link            `json:"links,omitempty"`
	Remarks          string            `json:"remarks,omitempty"`
}

// Address is a postal address.
type Address struct {
	Type       string   `json:"type,omitempty"`
	AddrLines  []string `json:"addr-lines,omitempty"`
	City       string   `json:"city,omitempty"`
	State      string   `json:"state,omitempty"`
	PostalCode string   `json:"postal-code,omitempty"`
	Country    string   `json:"country,omitempty"`
}

// TelephoneNumber is a telephone number with an optional type (home,
// office, mobile).
type TelephoneNumber struct {
	Type   string `json:"type,omitempty"`
	Number string `json:"number"`
}

// Party is a person or an organization. Type is "person" or
// "organization".
type Party struct {
	UUID                  string            `json:"uuid"`
	Type                  string            `json:"type"`
	Name                  string            `json:"name,omitempty"`
	ShortName             string            `json:"short-name,omitempty"`
	ExternalIDs           []ExternalID      `json:"external-ids,omitempty"`
	Props                 []Property        `json:"props,omitempty"`
	Links                 []Link            `json:"links,omitempty"`
	EmailAddresses        []string          `json:"email-addresses,omitempty"`
	TelephoneNumbers      []TelephoneNumber `json:"telephone-numbers,omitempty"`
	Addresses             []Address         `json:"addresses,omitempty"`
	LocationUUIDs         []string          `json:"location-uuids,omitempty"`
	MemberOfOrganizations []string          `json:"member-of-organizations,omitempty"`
	Remarks               string            `json:"remarks,omitempty"`
}

// ExternalID is an identifier of a party in another scheme (for example
// ORCID).
type ExternalID struct {
	Scheme string `json:"scheme"`
	ID     string `json:"id"`
}

// ResponsibleParty names the parties that play a role. RoleID and
// PartyUUIDs are required.
type ResponsibleParty struct {
	RoleID     string     `json:"role-id"`
	PartyUUIDs []string   `json:"party-uuids"`
	Props      []Property `json:"props,omitempty"`
	Links      []Link     `json:"links,omitempty"`
	Remarks    string     `json:"remarks,omitempty"`
}

// Action is an action applied by a role to the document (for example an
// approval).
type Action struct {
	UUID               string             `json:"uuid"`
	Date               time.Time          `json:"date,omitzero"`
	Type               string             `json:"type"`
	System             string             `json:"system"`
	Props              []Property         `json:"props,omitempty"`
	Links              []Link             `json:"links,omitempty"`
	ResponsibleParties []ResponsibleParty `json:"responsible-parties,omitempty"`
	Remarks            string             `json:"remarks,omitempty"`
}

// BackMatter holds the resources a document refers to.
type BackMatter struct {
	Resources []Resource `json:"resources,omitempty"`
}

// Resource is a back-matter resource: a citation, links to the resource,
// or the resource itself in base64.
type Resource struct {
	UUID        string         `json:"uuid"`
	Title       string         `json:"title,omitempty"`
	Description string         `json:"description,omitempty"`
	Props       []Property     `json:"props,omitempty"`
	DocumentIDs []DocumentID   `json:"document-ids,omitempty"`
	Citation    *Citation      `json:"citation,omitempty"`
	RLinks      []ResourceLink `json:"rlinks,omitempty"`
	Base64      *Base64        `json:"base64,omitempty"`
	Remarks     string         `json:"remarks,omitempty"`
}

// Citation is the bibliographic text of a resource.
type Citation struct {
	Text  string     `json:"text"`
	Props []Property `json:"props,omitempty"`
	Links []Link     `json:"links,omitempty"`
}

// ResourceLink is a pointer to a copy of a resource, with optional hashes.
type ResourceLink struct {
	Href      string `json:"href"`
	MediaType string `json:"media-type,omitempty"`
	Hashes    []Hash `json:"hashes,omitempty"`
}

// Hash is a hash of a resource; Algorithm is for example "SHA-256".
type Hash struct {
	Algorithm string `json:"algorithm"`
	Value     string `json:"value"`
}

// Base64 is a resource embedded in base64.
type Base64 struct {
	Filename  string `json:"filename,omitempty"`
	MediaType string `json:"media-type,omitempty"`
	Value     string `json:"value"`
}

// sameNS reports whether two property namespaces are the same, treating an
// absent ns as OSCAL's default namespace.
func sameNS(a, b string) bool {
	if a == "" {
		a = OSCALNamespace
	}
	if b == "" {
		b = OSCALNamespace
	}
	return a == b
}

// propValue returns the value of the first property with the given
// namespace and name.
func propValue(props []Property, ns, name string) (string, bool) {
	for _, p := range props {
		if p.Name == name && sameNS(p.NS, ns) {
			return p.Value, true
		}
	}
	return "", false
}

// propValues returns the values of every property with the given namespace
// and name, in document order.
func propValues(props []Property, ns, name string) []string {
	var vs []string
	for _, p := range props {
		if p.Name == name && sameNS(p.NS, ns) {
			vs = append(vs, p.Value)
		}
	}
	return vs
}
