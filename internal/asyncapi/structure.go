package asyncapi

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// checkStructure checks what makes the document AsyncAPI 3.0 as far as
// tools and this package rely on it; it returns every problem found.
func checkStructure(raw map[string]any) error {
	var errs []error
	if v := str(raw["asyncapi"]); !strings.HasPrefix(v, "3.0.") {
		errs = append(errs, fmt.Errorf(`"asyncapi" is %q, want 3.0.x`, v))
	}
	info := obj(raw["info"])
	if str(info["title"]) == "" || str(info["version"]) == "" {
		errs = append(errs, errors.New("info needs a title and a version"))
	}
	errs = append(errs, checkRefs(raw, raw, "#")...)
	for _, name := range sortedKeys(obj(raw["channels"])) {
		errs = append(errs, checkChannel(raw, name)...)
	}
	for _, name := range sortedKeys(obj(raw["operations"])) {
		errs = append(errs, checkOperation(raw, name)...)
	}
	return errors.Join(errs...)
}

// checkRefs reports every "$ref" under v that is not a local ref resolving
// in the document.
func checkRefs(doc map[string]any, v any, at string) []error {
	var errs []error
	switch v := v.(type) {
	case map[string]any:
		if r, ok := v["$ref"].(string); ok {
			if _, err := resolve(doc, r); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", at, err))
			}
		}
		for _, k := range sortedKeys(v) {
			errs = append(errs, checkRefs(doc, v[k], at+"/"+k)...)
		}
	case []any:
		for i, e := range v {
			errs = append(errs, checkRefs(doc, e, at+"/"+strconv.Itoa(i))...)
		}
	}
	return errs
}

// checkChannel: an address, servers that are the document's, and messages
// that are components with a name and a payload.
func checkChannel(raw map[string]any, name string) []error {
	ch := obj(obj(raw["channels"])[name])
	var errs []error
	if str(ch["address"]) == "" {
		errs = append(errs, fmt.Errorf("channel %s: no address", name))
	}
	for _, s := range arr(ch["servers"]) {
		if !strings.HasPrefix(ref(s), "#/servers/") {
			errs = append(errs, fmt.Errorf("channel %s: server %q is not under #/servers", name, ref(s)))
		}
	}
	for _, key := range sortedKeys(obj(ch["messages"])) {
		m := obj(obj(ch["messages"])[key])
		if r := ref(m); r != "" {
			m, _ = resolveObj(raw, r)
		}
		if str(m["name"]) == "" || m["payload"] == nil {
			errs = append(errs, fmt.Errorf("channel %s: message %s needs a name and a payload", name, key))
		}
	}
	return errs
}

// checkOperation: an action, a channel, and messages (and reply messages)
// of the operation's (reply's) own channel, as AsyncAPI 3.0 requires.
func checkOperation(raw map[string]any, name string) []error {
	op := obj(obj(raw["operations"])[name])
	var errs []error
	if a := str(op["action"]); a != "send" && a != "receive" {
		errs = append(errs, fmt.Errorf("operation %s: action %q, want send or receive", name, a))
	}
	errs = append(errs, checkMessagesOf(name, ref(op["channel"]), arr(op["messages"]))...)
	if len(arr(op["messages"])) == 0 {
		errs = append(errs, fmt.Errorf("operation %s: no messages", name))
	}
	if reply := obj(op["reply"]); reply != nil {
		errs = append(errs, checkMessagesOf(name+" reply", ref(reply["channel"]), arr(reply["messages"]))...)
	}
	return errs
}

func checkMessagesOf(what, channelRef string, msgs []any) []error {
	if !strings.HasPrefix(channelRef, "#/channels/") {
		return []error{fmt.Errorf("operation %s: channel %q is not under #/channels", what, channelRef)}
	}
	var errs []error
	for _, m := range msgs {
		if !strings.HasPrefix(ref(m), channelRef+"/messages/") {
			errs = append(errs, fmt.Errorf("operation %s: message %q is not a message of %s", what, ref(m), channelRef))
		}
	}
	return errs
}

// resolve follows a local JSON pointer ref ("#/a/b") in doc.
func resolve(doc map[string]any, r string) (any, error) {
	if !strings.HasPrefix(r, "#/") {
		return nil, fmt.Errorf("ref %q is not local", r)
	}
	var cur any = doc
	for _, tok := range strings.Split(r[2:], "/") {
		tok = unescape(tok)
		switch c := cur.(type) {
		case map[string]any:
			next, ok := c[tok]
			if !ok {
				return nil, fmt.Errorf("ref %q does not resolve (no %q)", r, tok)
			}
			cur = next
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(c) {
				return nil, fmt.Errorf("ref %q does not resolve (no index %q)", r, tok)
			}
			cur = c[i]
		default:
			return nil, fmt.Errorf("ref %q does not resolve (%q under a scalar)", r, tok)
		}
	}
	return cur, nil
}

func resolveObj(doc map[string]any, r string) (map[string]any, error) {
	v, err := resolve(doc, r)
	return obj(v), err
}

// unescape decodes a JSON pointer token.
func unescape(tok string) string {
	return strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
}
