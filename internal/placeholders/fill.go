// Package placeholders fills "{name}" placeholders of a text from the
// scalar fields of a JSON object: how notification texts carry their
// details, both in English when stored (actors/notifications) and in the
// reader's language when shown (gateway/notices).
package placeholders

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// Fill replaces each {name} in template with params[name]; a name params
// lacks stays as written, so a translator's typo shows rather than
// vanishes.
func Fill(template string, params map[string]string) string {
	if !strings.Contains(template, "{") {
		return template
	}
	pairs := make([]string, 0, 2*len(params))
	for k, v := range params {
		pairs = append(pairs, "{"+k+"}", v)
	}
	return strings.NewReplacer(pairs...).Replace(template)
}

// Params reads a JSON object's top-level scalars as Fill parameters
// (numbers as written, so 1000000 stays 1000000); nested values and a
// body that is not an object give none.
func Params(object []byte) map[string]string {
	dec := json.NewDecoder(bytes.NewReader(object))
	dec.UseNumber()
	var raw map[string]any
	if err := dec.Decode(&raw); err != nil {
		return map[string]string{}
	}
	out := make(map[string]string, len(raw))
	for k, v := range raw {
		switch v := v.(type) {
		case string:
			out[k] = v
		case json.Number, bool:
			out[k] = fmt.Sprint(v)
		}
	}
	return out
}
