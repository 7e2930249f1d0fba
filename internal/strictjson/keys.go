package strictjson

// CheckKeys walks the top-level members of data, a JSON object that
// encoding/json has already accepted, and rejects keys not spelled exactly
// as one of keys (escaped keys included) and repeated keys with a *KeyError.
// At most 64 keys are supported. It never panics, even on input it was not
// meant for.
func CheckKeys(data []byte, keys []string) error {
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return ErrNotObject
	}
	var seen uint64
	for i = skipSpace(data, i+1); i < len(data) && data[i] != '}'; i = skipSpace(data, i) {
		if data[i] == ',' {
			i = skipSpace(data, i+1)
		}
		end := stringEnd(data, i)
		if end < 0 {
			return ErrNotObject
		}
		key := data[i+1 : end-1]
		k := keyIndex(keys, key)
		switch {
		case k < 0:
			return &KeyError{Key: string(key)}
		case seen&(1<<k) != 0:
			return &KeyError{Key: string(key), Duplicate: true}
		}
		seen |= 1 << k
		i = skipSpace(data, end) + 1 // past the colon
		i = skipValue(data, skipSpace(data, i))
	}
	return nil
}

func keyIndex(keys []string, key []byte) int {
	for k, name := range keys {
		if string(key) == name {
			return k
		}
	}
	return -1
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}

// stringEnd returns the index just past the string starting at data[i], or
// -1 when data[i] does not start a complete string.
func stringEnd(data []byte, i int) int {
	if i >= len(data) || data[i] != '"' {
		return -1
	}
	for i++; i < len(data); i++ {
		switch data[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return -1
}

// skipValue returns the index just past the value starting at data[i].
func skipValue(data []byte, i int) int {
	if i >= len(data) {
		return i
	}
	switch data[i] {
	case '"':
		if end := stringEnd(data, i); end >= 0 {
			return end
		}
		return len(data)
	case '{', '[':
		return skipNested(data, i)
	default: // number, true, false, null
		for i < len(data) && data[i] != ',' && data[i] != '}' && data[i] != ']' &&
			skipSpace(data, i) == i {
			i++
		}
		return i
	}
}

// skipNested skips a whole object or array, strings included.
func skipNested(data []byte, i int) int {
	depth := 0
	for i < len(data) {
		switch data[i] {
		case '"':
			end := stringEnd(data, i)
			if end < 0 {
				return len(data)
			}
			i = end
			continue
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return i + 1
			}
		}
		i++
	}
	return i
}
