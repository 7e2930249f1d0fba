package apidocs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"slices"
	"sort"
	"strings"
)

// methods is the order operations of one path are listed in.
var methods = []string{"get", "post", "put", "patch", "delete"}

// operationView is one operation of the page.
type operationView struct {
	ID, Method, Class, Path, Summary, Description string
	Public                                        bool
	Roles, Codes                                  []string
	RateLimit                                     string
	Parameters                                    []paramView
	Body                                          []contentView
	Responses                                     []responseView
}

type paramView struct {
	Name, In, Schema, Description string
	Required                      bool
}

type contentView struct{ Type, Schema string }

type responseView struct {
	Status, Description string
	Content             []contentView
	Headers             []string
}

type schemaView struct {
	Name, Description, Type, Raw string
	Properties                   []propertyView
}

type propertyView struct {
	Name, Schema, Description string
	Required                  bool
}

type tagView struct {
	Name, Description string
	Operations        []operationView
}

type pageView struct {
	Title, Version, Summary, Description string
	Tags                                 []tagView
	Schemas                              []schemaView
	Stylesheet                           template.CSS
}

// render builds the page of doc.
func render(doc map[string]any) ([]byte, error) {
	info := obj(doc["info"])
	components := obj(doc["components"])
	view := pageView{Title: str(info["title"]), Version: str(info["version"]), Summary: str(info["summary"]),
		Description: str(info["description"]), Tags: tags(doc, components), Schemas: schemas(obj(components["schemas"])),
		Stylesheet: template.CSS(stylesheet)} //nolint:gosec // G203: our own constant stylesheet
	var out bytes.Buffer
	if err := pageTemplate.Execute(&out, view); err != nil {
		return nil, fmt.Errorf("render api docs page: %w", err)
	}
	return out.Bytes(), nil
}

// tags groups the operations by their first tag, in the document's tag order.
func tags(doc, components map[string]any) []tagView {
	var out []tagView
	index := map[string]int{}
	for _, t := range list(doc["tags"]) {
		index[str(obj(t)["name"])] = len(out)
		out = append(out, tagView{Name: str(obj(t)["name"]), Description: str(obj(t)["description"])})
	}
	paths := obj(doc["paths"])
	for _, path := range sortedKeys(paths) {
		for _, m := range methods {
			op, ok := obj(paths[path])[m].(map[string]any)
			if !ok {
				continue
			}
			tag := str(first(list(op["tags"])))
			if _, ok := index[tag]; !ok {
				index[tag] = len(out)
				out = append(out, tagView{Name: tag})
			}
			out[index[tag]].Operations = append(out[index[tag]].Operations, operation(m, path, op, doc, components))
		}
	}
	return out
}

// operation renders one operation.
func operation(method, path string, op, doc, components map[string]any) operationView {
	security, public := op["security"], false
	if security != nil {
		public = len(list(security)) == 0
	} else {
		public = len(list(doc["security"])) == 0
	}
	v := operationView{ID: str(op["operationId"]), Method: strings.ToUpper(method), Class: method, Path: path,
		Summary: str(op["summary"]), Description: str(op["description"]), Public: public,
		Roles: strs(op["x-roles"]), Codes: strs(op["x-error-codes"]), RateLimit: str(op["x-rate-limit"])}
	for _, p := range list(op["parameters"]) {
		p = resolve(p, components)
		v.Parameters = append(v.Parameters, paramView{Name: str(obj(p)["name"]), In: str(obj(p)["in"]),
			Schema: schemaText(obj(p)["schema"]), Description: str(obj(p)["description"]),
			Required: obj(p)["required"] == true})
	}
	if body := obj(resolve(op["requestBody"], components)); body != nil {
		v.Body = contents(obj(body["content"]))
	}
	responses := obj(op["responses"])
	for _, status := range sortedKeys(responses) {
		r := obj(resolve(responses[status], components))
		v.Responses = append(v.Responses, responseView{Status: status, Description: str(r["description"]),
			Content: contents(obj(r["content"])), Headers: sortedKeys(obj(r["headers"]))})
	}
	return v
}

// contents lists a content map's media types and schemas.
func contents(content map[string]any) []contentView {
	var out []contentView
	for _, t := range sortedKeys(content) {
		out = append(out, contentView{Type: t, Schema: schemaText(obj(content[t])["schema"])})
	}
	return out
}

// schemas renders the component schemas, by name.
func schemas(all map[string]any) []schemaView {
	var out []schemaView
	for _, name := range sortedKeys(all) {
		s := obj(all[name])
		raw, _ := json.MarshalIndent(s, "", "  ")
		v := schemaView{Name: name, Description: str(s["description"]), Type: schemaText(s), Raw: string(raw)}
		required := strs(s["required"])
		props := obj(s["properties"])
		for _, p := range sortedKeys(props) {
			v.Properties = append(v.Properties, propertyView{Name: p, Schema: schemaText(props[p]),
				Description: str(obj(props[p])["description"]), Required: slices.Contains(required, p)})
		}
		out = append(out, v)
	}
	return out
}

// schemaText is a one-line summary of a schema: its $ref name, its type
// with format, enum, const or pattern, or "object"/"array of …".
func schemaText(v any) string {
	s := obj(v)
	if s == nil {
		return "any"
	}
	if ref := str(s["$ref"]); ref != "" {
		return ref[strings.LastIndex(ref, "/")+1:]
	}
	if c, ok := s["const"]; ok {
		return fmt.Sprintf("%v (constant)", c)
	}
	if e := s["enum"]; e != nil {
		return "one of " + strings.Join(strs(e), ", ")
	}
	typ := fmt.Sprint(s["type"])
	if t, ok := s["type"].([]any); ok {
		typ = strings.Join(strs(t), " or ")
	}
	switch {
	case s["type"] == "array":
		return "array of " + schemaText(s["items"])
	case s["oneOf"] != nil || s["anyOf"] != nil:
		var alts []string
		for _, a := range append(list(s["oneOf"]), list(s["anyOf"])...) {
			alts = append(alts, schemaText(a))
		}
		return strings.Join(alts, " | ")
	case s["type"] == nil:
		return "any"
	}
	for _, k := range []string{"format", "pattern"} {
		if x := str(s[k]); x != "" {
			typ += " (" + k + " " + x + ")"
		}
	}
	return typ
}

// resolve follows a local $ref ("#/components/<kind>/<name>").
func resolve(v any, components map[string]any) any {
	ref := str(obj(v)["$ref"])
	if !strings.HasPrefix(ref, "#/components/") {
		return v
	}
	kind, name, _ := strings.Cut(strings.TrimPrefix(ref, "#/components/"), "/")
	return obj(components[kind])[name]
}

func obj(v any) map[string]any { m, _ := v.(map[string]any); return m }

func list(v any) []any { l, _ := v.([]any); return l }

func str(v any) string { s, _ := v.(string); return s }

func first(l []any) any {
	if len(l) == 0 {
		return nil
	}
	return l[0]
}

func strs(v any) []string {
	var out []string
	for _, x := range list(v) {
		out = append(out, fmt.Sprint(x))
	}
	return out
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
