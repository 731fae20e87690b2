package export

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/samwise-app/samwise/engine/api"
)

// The parts of a dataset split for training.
const (
	partTrain = "train"
	partVal   = "val"
)

// Splits reports whether format's datasets can be split into train and val
// parts (COCO, YOLO and VOC, the formats trainers read splits of).
func Splits(format string) bool {
	return specs[format].split != nil
}

// part is the media of one part of a dataset.
type part struct {
	name string // "" when the dataset is not split
	in   Input
}

// splitItems holds out round(val × n) of the media for validation (at least
// one, and at least one left to train on), chosen by a hash of their ids:
// the same media land in the same part in every export of the project. A
// video goes whole to one part, so no frame is validated on while the
// frames beside it are trained on. Both parts keep every category of the
// whole project, in the same order, so class ids agree.
func splitItems(in Input, val float64) ([]part, error) {
	if !(val > 0 && val < 1) {
		return nil, fmt.Errorf("the validation share %g must be between 0 and 1", val)
	}
	n := len(in.Items)
	if n < 2 {
		return nil, &NothingError{Msg: fmt.Sprintf("%d media cannot be split into train and val: a split needs at least two", n)}
	}
	k := min(max(int(math.Round(val*float64(n))), 1), n-1)
	order := make([]int, n)
	keys := make([][32]byte, n)
	for i, it := range in.Items {
		order[i] = i
		keys[i] = sha256.Sum256([]byte(it.Media.MediaID))
	}
	slices.SortFunc(order, func(a, b int) int { return bytes.Compare(keys[a][:], keys[b][:]) })
	held := map[int]bool{}
	for _, i := range order[:k] {
		held[i] = true
	}
	var labels []api.Label
	for _, c := range Categories(in) {
		labels = append(labels, api.Label{Name: c.Name, Color: c.Color})
	}
	train, valid := in, in
	train.Project.Labels, valid.Project.Labels = labels, labels
	train.Items, valid.Items = nil, nil
	names := fileNames(in)
	for i, it := range in.Items { // project order within each part
		// Names stay those of the whole project: unique even where the
		// parts share a folder (VOC's JPEGImages/).
		it.Media.Name = names[i]
		if held[i] {
			valid.Items = append(valid.Items, it)
		} else {
			train.Items = append(train.Items, it)
		}
	}
	return []part{{partTrain, train}, {partVal, valid}}, nil
}

// splitCOCO puts each part's pictures in images/<part>/ and names its
// instances file after it (annotations/instances_train.json), as COCO and
// CVAT do.
func splitCOCO(name, part string) string {
	if rest, ok := strings.CutPrefix(name, "images/"); ok {
		return "images/" + part + "/" + rest
	}
	return strings.TrimSuffix(name, ".json") + "_" + part + ".json"
}

// splitYOLO puts each part's labels and pictures in labels/<part>/ and
// images/<part>/; the parts' data.yaml give way to yoloSplitIndex's.
func splitYOLO(name, part string) string {
	for _, dir := range []string{"labels/", "images/"} {
		if rest, ok := strings.CutPrefix(name, dir); ok {
			return dir + part + "/" + rest
		}
	}
	return ""
}

func yoloSplitIndex(in Input) *archive {
	a := newArchive()
	a.add("data.yaml", yoloYAML(in, Categories(in), "images/"+partTrain, "images/"+partVal))
	return a
}
