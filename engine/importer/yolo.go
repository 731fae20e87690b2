package importer

import (
	"archive/zip"
	"fmt"
	"math"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/samwise-app/samwise/engine/api"
)

// parseYOLO reads a zip of Ultralytics YOLO segmentation labels: one .txt
// per picture (under a labels/ folder when there is one), each line
// "class x1 y1 x2 y2 ..." with coordinates normalised to 0..1, and the class
// names from data.yaml (or classes.txt / obj.names, one per line; without
// them the class number is the label). A picture is named by its label
// file's stem and takes its size from the media it matches. Detection
// lines (class cx cy w h) are boxes.
func parseYOLO(zr *zip.Reader) (*File, error) {
	f := &File{Format: api.ImportYOLO}
	var names []string
	var labels []*zip.File
	underLabels := false
	for _, zf := range zr.File {
		name := zf.Name
		base := strings.ToLower(path.Base(name))
		if skippedEntry(zf) {
			continue
		}
		switch {
		case strings.HasSuffix(base, ".yaml") || strings.HasSuffix(base, ".yml") || base == "classes.txt" || base == "obj.names":
			b, err := readEntry(zf)
			if err != nil {
				f.skip(name, "", "%v", err)
				continue
			}
			if n := classNames(base, string(b)); n != nil && (names == nil || base == "data.yaml") {
				names = n
			}
		case strings.HasSuffix(base, ".txt"):
			labels = append(labels, zf)
			underLabels = underLabels || inLabelsFolder(name)
		}
	}
	for _, zf := range labels {
		if underLabels && !inLabelsFolder(zf.Name) {
			continue // a readme or notes beside the labels
		}
		b, err := readEntry(zf)
		if err != nil {
			f.skip(zf.Name, "", "%v", err)
			continue
		}
		f.Pictures = append(f.Pictures, yoloPicture(f, zf.Name, string(b), names))
	}
	if len(f.Pictures) == 0 {
		return nil, formatErrorf("the zip has no YOLO label files (labels/<picture>.txt, one \"class x1 y1 x2 y2 ...\" line per object)")
	}
	return f, nil
}

func inLabelsFolder(name string) bool {
	return strings.HasPrefix(name, "labels/") || strings.Contains(name, "/labels/")
}

// yoloPicture reads one label file.
func yoloPicture(f *File, name, text string, names []string) Picture {
	stem := strings.TrimSuffix(path.Base(name), path.Ext(name))
	p := Picture{FileName: stem}
	for i, line := range strings.Split(text, "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		what := fmt.Sprintf("line %d", i+1)
		cls, err := strconv.Atoi(fields[0])
		if err != nil || cls < 0 {
			f.skip(name, what, "it does not start with a class number")
			continue
		}
		label := strconv.Itoa(cls)
		if names != nil {
			if cls >= len(names) {
				f.skip(name, what, "class %d is not among the %d class names", cls, len(names))
				continue
			}
			label = names[cls]
		}
		coords := fields[1:]
		if len(coords) != 4 && (len(coords) < 6 || len(coords)%2 != 0) {
			f.skip(name, what, "a polygon needs an even number of coordinates, at least 6")
			continue
		}
		ring := make([]float64, 0, len(coords))
		for _, c := range coords {
			v, err := strconv.ParseFloat(c, 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				f.skip(name, what, "%q is not a coordinate", c)
				ring = nil
				break
			}
			ring = append(ring, v)
		}
		if ring == nil {
			continue
		}
		if len(ring) == 4 { // a detection: cx cy w h
			cx, cy, w, h := ring[0], ring[1], ring[2]/2, ring[3]/2
			p.Objects = append(p.Objects, Object{Label: label, What: what, Box: &Box{X0: cx - w, Y0: cy - h, X1: cx + w, Y1: cy + h, Normalized: true}})
			continue
		}
		p.Objects = append(p.Objects, Object{Label: label, What: what, Shapes: []Shape{{Polygons: [][]float64{ring}, Normalized: true}}})
	}
	return p
}

// classNames reads class names from data.yaml (names as a list, a flow list
// or a map from number to name) or from a one-name-per-line file; nil when
// there are none.
func classNames(base, text string) []string {
	if !strings.HasSuffix(base, ".yaml") && !strings.HasSuffix(base, ".yml") {
		var out []string
		for _, l := range strings.Split(text, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				out = append(out, l)
			}
		}
		return out
	}
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	for i, l := range lines {
		rest, ok := strings.CutPrefix(l, "names:")
		if !ok {
			continue
		}
		rest = strings.TrimSpace(stripComment(rest))
		if rest != "" {
			// A flow list or map, possibly over several lines.
			for j := i + 1; j < len(lines) && !strings.ContainsAny(rest, "]}"); j++ {
				rest += " " + strings.TrimSpace(stripComment(lines[j]))
			}
			return flowNames(rest)
		}
		byIndex := map[int]string{}
		var list []string
		for _, l := range lines[i+1:] {
			item := strings.TrimSpace(stripComment(l))
			if item == "" {
				continue
			}
			if l[0] != ' ' && l[0] != '\t' && l[0] != '-' {
				break
			}
			if v, ok := strings.CutPrefix(item, "-"); ok {
				list = append(list, unquote(v))
			} else if k, v, ok := strings.Cut(item, ":"); ok {
				if n, err := strconv.Atoi(strings.TrimSpace(k)); err == nil && n >= 0 && n < maxClassIndex {
					byIndex[n] = unquote(v)
				}
			}
		}
		if list != nil {
			return list
		}
		return indexed(byIndex)
	}
	return nil
}

// maxClassIndex bounds the class numbers a names map may use.
const maxClassIndex = 1 << 16

// flowNames reads "[a, 'b', \"c\"]" or "{0: a, 1: b}".
func flowNames(s string) []string {
	s = strings.TrimSpace(s)
	isMap := strings.HasPrefix(s, "{")
	s = strings.Trim(s, "[]{} ")
	byIndex := map[int]string{}
	var list []string
	for _, item := range splitFlow(s) {
		if !isMap {
			list = append(list, unquote(item))
			continue
		}
		if k, v, ok := strings.Cut(item, ":"); ok {
			if n, err := strconv.Atoi(strings.TrimSpace(k)); err == nil && n >= 0 && n < maxClassIndex {
				byIndex[n] = unquote(v)
			}
		}
	}
	if isMap {
		return indexed(byIndex)
	}
	return list
}

// splitFlow splits at commas outside quotes.
func splitFlow(s string) []string {
	var out []string
	var quote rune
	start := 0
	for i, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote == 0 && (r == '"' || r == '\''):
			quote = r
		case quote == 0 && r == ',':
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	if strings.TrimSpace(s[start:]) != "" {
		out = append(out, s[start:])
	}
	return out
}

// indexed turns a number → name map into a list (gaps named by number).
func indexed(byIndex map[int]string) []string {
	if len(byIndex) == 0 {
		return nil
	}
	keys := make([]int, 0, len(byIndex))
	for k := range byIndex {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	out := make([]string, keys[len(keys)-1]+1)
	for i := range out {
		if v, ok := byIndex[i]; ok {
			out[i] = v
		} else {
			out[i] = strconv.Itoa(i)
		}
	}
	return out
}

// stripComment drops a "# comment" outside quotes.
func stripComment(s string) string {
	var quote rune
	for i, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote == 0 && (r == '"' || r == '\''):
			quote = r
		case quote == 0 && r == '#':
			return s[:i]
		}
	}
	return s
}

// unquote reads a YAML scalar: "double" (with escapes), 'single' or plain.
func unquote(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		if u, err := strconv.Unquote(s); err == nil {
			return u
		}
		return s[1 : len(s)-1]
	}
	if len(s) >= 2 && s[0] == '\'' && s[len(s)-1] == '\'' {
		return strings.ReplaceAll(s[1:len(s)-1], "''", "'")
	}
	return s
}
