package vasttest

import (
	"cmp"
	"fmt"
	"slices"
)

// match reports whether row satisfies every field filter in filters: field → {op: value},
// with Vast's operators eq, neq, gt, gte, lt, lte, in, notin. A row without the field
// fails every operator but neq and notin.
func match(row map[string]any, filters map[string]map[string]any) (bool, error) {
	for field, ops := range filters {
		v, has := row[field]
		for op, want := range ops {
			ok, err := apply(op, v, has, want)
			if err != nil {
				return false, fmt.Errorf("field %q: %w", field, err)
			}
			if !ok {
				return false, nil
			}
		}
	}
	return true, nil
}

func apply(op string, v any, has bool, want any) (bool, error) {
	switch op {
	case "eq":
		return has && equal(v, want), nil
	case "neq":
		return !has || !equal(v, want), nil
	case "gt", "gte", "lt", "lte":
		a, ok1 := v.(float64)
		b, ok2 := want.(float64)
		if !ok2 {
			return false, fmt.Errorf("operator %s needs a number, got %T", op, want)
		}
		if !has || !ok1 {
			return false, nil
		}
		c := cmp.Compare(a, b)
		return op == "gt" && c > 0 || op == "gte" && c >= 0 || op == "lt" && c < 0 || op == "lte" && c <= 0, nil
	case "in", "notin":
		list, ok := want.([]any)
		if !ok {
			return false, fmt.Errorf("operator %s needs a list, got %T", op, want)
		}
		in := has && slices.ContainsFunc(list, func(w any) bool { return equal(v, w) })
		return in == (op == "in"), nil
	}
	return false, fmt.Errorf("unknown operator %q (Vast knows eq, neq, gt, gte, lt, lte, in, notin)", op)
}

func equal(a, b any) bool {
	return fmt.Sprint(a) == fmt.Sprint(b) && fmt.Sprintf("%T", a) == fmt.Sprintf("%T", b)
}

// sortRows orders rows by (field, descending) keys, numbers or strings.
func sortRows(rows []map[string]any, keys [][2]string) {
	slices.SortStableFunc(rows, func(a, b map[string]any) int {
		for _, k := range keys {
			c := compareAny(a[k[0]], b[k[0]])
			if k[1] == "desc" {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		return 0
	})
}

func compareAny(a, b any) int {
	fa, oka := a.(float64)
	fb, okb := b.(float64)
	if oka && okb {
		return cmp.Compare(fa, fb)
	}
	return cmp.Compare(fmt.Sprint(a), fmt.Sprint(b))
}
