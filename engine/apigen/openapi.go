// Package apigen derives the machine-readable descriptions of the API from
// its Go types (package api): the OpenAPI 3 document served at /openapi.json
// and the TypeScript types of the frontend. Nothing is written by hand, so
// they cannot drift from the server.
package apigen

import (
	"encoding/json"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/samwise-app/samwise/engine/api"
)

// OpenAPI builds the OpenAPI 3.0 document for endpoints.
func OpenAPI(version string, endpoints []api.Endpoint) ([]byte, error) {
	w := &walker{defs: map[string]any{}}
	paths := map[string]map[string]any{}
	errRef := w.schema(reflect.TypeOf(api.ErrorResponse{}))
	for _, e := range endpoints {
		op := map[string]any{"summary": e.Summary, "operationId": operationID(e)}
		var params []any
		for _, m := range paramRE.FindAllStringSubmatch(e.Path, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
		}
		if len(params) > 0 {
			op["parameters"] = params
		}
		if e.Request != nil {
			content := map[string]any{"application/json": map[string]any{"schema": w.schema(reflect.TypeOf(e.Request))}}
			if e.Consumes == "multipart/form-data" {
				content["multipart/form-data"] = map[string]any{"schema": map[string]any{
					"type": "object", "properties": map[string]any{"file": map[string]any{"type": "string", "format": "binary"}}}}
			}
			op["requestBody"] = map[string]any{"required": true, "content": content}
		}
		ok := map[string]any{"description": "success"}
		switch {
		case e.Response != nil:
			ok["content"] = map[string]any{"application/json": map[string]any{"schema": w.schema(reflect.TypeOf(e.Response))}}
		case e.Produces != "":
			ok["content"] = map[string]any{e.Produces: map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}}}
		}
		resp := map[string]any{itoa(e.Status): ok,
			"default": map[string]any{"description": "error", "content": map[string]any{"application/json": map[string]any{"schema": errRef}}}}
		op["responses"] = resp
		if !e.Public {
			op["security"] = []any{map[string]any{"bearer": []any{}}}
		}
		if paths[e.Path] == nil {
			paths[e.Path] = map[string]any{}
		}
		paths[e.Path][strings.ToLower(e.Method)] = op
	}
	doc := map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{"title": "Samwise engine API", "version": version,
			"description": "SAM 3 segmentation of images and video. Errors use one envelope: {\"error\": {\"code\", \"message\", \"details\"}}."},
		"paths": paths,
		"components": map[string]any{
			"schemas":         w.defs,
			"securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer"}},
		},
	}
	out, err := json.MarshalIndent(doc, "", "  ")
	return append(out, '\n'), err
}

var paramRE = regexp.MustCompile(`\{([a-z_]+)\}`)

func operationID(e api.Endpoint) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(e.Method))
	for _, seg := range strings.FieldsFunc(e.Path, func(r rune) bool { return r == '/' || r == '.' || r == '_' || r == '{' || r == '}' }) {
		b.WriteString(strings.ToUpper(seg[:1]) + seg[1:])
	}
	return b.String()
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

type walker struct {
	defs map[string]any
}

var timeType = reflect.TypeOf(time.Time{})

// schema returns the schema of t, registering named structs in defs.
func (w *walker) schema(t reflect.Type) map[string]any {
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t.Kind() == reflect.Pointer:
		s := w.schema(t.Elem())
		if _, isRef := s["$ref"]; isRef {
			return map[string]any{"allOf": []any{s}, "nullable": true}
		}
		s["nullable"] = true
		return s
	}
	switch t.Kind() {
	case reflect.Struct:
		name := t.Name()
		if _, done := w.defs[name]; !done {
			w.defs[name] = map[string]any{} // placeholder for recursion
			w.defs[name] = w.object(t)
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return map[string]any{"type": "string", "format": "byte"}
		}
		return map[string]any{"type": "array", "items": w.schema(t.Elem())}
	case reflect.Array:
		return map[string]any{"type": "array", "items": w.schema(t.Elem()), "minItems": t.Len(), "maxItems": t.Len()}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": w.schema(t.Elem())}
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	}
	return map[string]any{} // any
}

func (w *walker) object(t reflect.Type) map[string]any {
	props := map[string]any{}
	var required []string
	for _, f := range Fields(t) {
		props[f.JSON] = w.schema(f.Type)
		if !f.Optional {
			required = append(required, f.JSON)
		}
	}
	s := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		sort.Strings(required)
		s["required"] = required
	}
	return s
}

// Field is one JSON field of a struct.
type Field struct {
	Name     string
	JSON     string
	Type     reflect.Type
	Optional bool
}

// Fields lists the JSON fields of struct t, flattening embedded structs, in
// declaration order.
func Fields(t reflect.Type) []Field {
	var out []Field
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			out = append(out, Fields(f.Type)...)
			continue
		}
		if name == "" {
			name = f.Name
		}
		out = append(out, Field{Name: f.Name, JSON: name, Type: f.Type,
			Optional: strings.Contains(opts, "omitempty") || f.Type.Kind() == reflect.Pointer})
	}
	return out
}
