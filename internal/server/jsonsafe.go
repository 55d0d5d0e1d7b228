package server

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
)

// finiteJSON returns a copy of v in which every NaN or infinite float is
// nil, as generic JSON values (maps, slices) that honour the json struct
// tags and json.Marshaler. Results of the analysis packages may hold NaN
// (an undefined statistic), which encoding/json refuses; the API writes
// them as null.
func finiteJSON(v reflect.Value) any {
	if !v.IsValid() {
		return nil
	}
	if v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return nil
		}
	}
	if m, ok := marshaler(v); ok {
		b, err := m.MarshalJSON()
		if err == nil {
			return json.RawMessage(b)
		}
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		return finiteJSON(v.Elem())
	case reflect.Float32, reflect.Float64:
		f := v.Float()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil
		}
		return f
	case reflect.Slice:
		if v.IsNil() {
			return nil
		}
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return v.Interface()
		}
		fallthrough
	case reflect.Array:
		out := make([]any, v.Len())
		for i := range out {
			out[i] = finiteJSON(v.Index(i))
		}
		return out
	case reflect.Map:
		if v.IsNil() {
			return nil
		}
		out := make(map[string]any, v.Len())
		it := v.MapRange()
		for it.Next() {
			k, _ := json.Marshal(it.Key().Interface())
			key := strings.Trim(string(k), `"`)
			out[key] = finiteJSON(it.Value())
		}
		return out
	case reflect.Struct:
		out := map[string]any{}
		structFields(v, out)
		return out
	}
	return v.Interface()
}

func marshaler(v reflect.Value) (json.Marshaler, bool) {
	if v.CanInterface() {
		if m, ok := v.Interface().(json.Marshaler); ok {
			if v.Kind() != reflect.Pointer || !v.IsNil() {
				return m, true
			}
		}
	}
	if v.CanAddr() && v.Addr().CanInterface() {
		if m, ok := v.Addr().Interface().(json.Marshaler); ok {
			return m, true
		}
	}
	return nil, false
}

func structFields(v reflect.Value, out map[string]any) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		fv := v.Field(i)
		if f.Anonymous && name == "" {
			ev := fv
			if ev.Kind() == reflect.Pointer {
				if ev.IsNil() {
					continue
				}
				ev = ev.Elem()
			}
			if ev.Kind() == reflect.Struct {
				if _, ok := marshaler(ev); !ok {
					structFields(ev, out)
					continue
				}
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if strings.Contains(opts, "omitempty") && fv.IsZero() {
			continue
		}
		if (fv.Kind() == reflect.Slice || fv.Kind() == reflect.Map) && strings.Contains(opts, "omitempty") && fv.Len() == 0 {
			continue
		}
		out[name] = finiteJSON(fv)
	}
}
