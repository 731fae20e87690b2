package vasttest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// reserved are the search keys that are not field filters.
var reserved = map[string]bool{"order": true, "type": true, "limit": true, "allocated_storage": true, "disable_bundling": true}

func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	var q map[string]json.RawMessage
	if err := json.NewDecoder(r.Body).Decode(&q); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"success": false, "error": "invalid_args", "msg": "Invalid json body"})
		return
	}
	filters := map[string]map[string]any{}
	for k, raw := range q {
		if reserved[k] {
			continue
		}
		var ops map[string]any
		if err := json.Unmarshal(raw, &ops); err != nil {
			badRequest(w, "Invalid query: must be dict of conditions (field %q)", k)
			return
		}
		filters[k] = ops
	}
	var order [][2]string
	if raw, ok := q["order"]; ok {
		var pairs [][]string
		if err := json.Unmarshal(raw, &pairs); err != nil {
			badRequest(w, "order must be a list of [field, asc|desc] pairs")
			return
		}
		for _, p := range pairs {
			if len(p) != 2 || (p[1] != "asc" && p[1] != "desc") {
				badRequest(w, "order entry %q is not [field, asc|desc]", p)
				return
			}
			order = append(order, [2]string{p[0], p[1]})
		}
	}
	limit := 64
	if raw, ok := q["limit"]; ok {
		if err := json.Unmarshal(raw, &limit); err != nil || limit <= 0 {
			badRequest(w, "limit must be a positive integer")
			return
		}
	}
	s.mu.Lock()
	var out []map[string]any
	for _, o := range s.offers {
		ok, err := match(o, filters)
		if err != nil {
			s.mu.Unlock()
			badRequest(w, "Invalid query: %v", err)
			return
		}
		if ok {
			out = append(out, clone(o))
		}
	}
	s.mu.Unlock()
	sortRows(out, order)
	if len(out) > limit {
		out = out[:limit]
	}
	if out == nil {
		out = []map[string]any{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"offers": out})
}

// create rents an offer. A missing or already rented offer answers 404 with error
// "no_such_ask": the documents show both 404 and 410 in use, and clients should match the
// error code rather than the status.
func (s *Server) create(w http.ResponseWriter, r *http.Request, rest string) {
	offerID, ok := pathID(rest)
	if !ok {
		badRequest(w, "invalid ask id")
		return
	}
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		badRequest(w, "Invalid json body")
		return
	}
	if body["client_id"] != "me" {
		badRequest(w, `client_id must be "me"`)
		return
	}
	image, _ := body["image"].(string)
	if image == "" {
		badRequest(w, "image is required")
		return
	}
	env, ok := body["env"].(map[string]any)
	if _, present := body["env"]; present && !ok {
		badRequest(w, "env must be a JSON object of KEY: value")
		return
	}
	s.mu.Lock()
	var offer map[string]any
	for _, o := range s.offers {
		if o["id"] == float64(offerID) && o["rentable"] == true && o["rented"] == false {
			offer = o
		}
	}
	if offer == nil {
		s.mu.Unlock()
		writeJSON(w, http.StatusNotFound, map[string]any{"success": false, "error": "no_such_ask", "msg": fmt.Sprintf("Instance type %d no longer available", offerID)})
		return
	}
	offer["rentable"], offer["rented"] = false, true
	var extra []any
	for k, v := range env {
		extra = append(extra, []any{k, v})
	}
	row := map[string]any{
		"machine_id": offer["machine_id"], "gpu_name": offer["gpu_name"], "num_gpus": offer["num_gpus"],
		"dph_total": offer["dph_total"], "label": body["label"], "image_uuid": image,
		"image_runtype": body["runtype"], "extra_env": extra, "disk_space": body["disk"],
		"onstart": body["onstart"], "cancel_unavail": body["cancel_unavail"],
		"start_date": float64(time.Now().Unix()),
	}
	id := s.addInstanceLocked(row)
	key := randomKey()
	s.keys[id] = key
	hook := s.hooks.OnCreate
	c := Created{ID: id, Image: image, Env: map[string]string{}, APIKey: key}
	c.Label, _ = body["label"].(string)
	c.RunType, _ = body["runtype"].(string)
	if args, ok := body["args"].([]any); ok {
		for _, a := range args {
			c.Args = append(c.Args, fmt.Sprint(a))
		}
	}
	for k, v := range env {
		c.Env[k] = fmt.Sprint(v)
	}
	s.mu.Unlock()
	if hook != nil {
		hook(c)
	}
	writeJSON(w, http.StatusOK, map[string]any{"success": true, "new_contract": id, "instance_api_key": key})
}

// randomKey makes an instance API key.
func randomKey() string {
	b := make([]byte, 16)
	rand.Read(b)
	return "ik-" + hex.EncodeToString(b)
}

func (s *Server) show(w http.ResponseWriter, r *http.Request, rest string) {
	id, ok := pathID(rest)
	if !ok {
		badRequest(w, "invalid instance id")
		return
	}
	if r.URL.Query().Get("owner") != "me" {
		badRequest(w, "owner=me is required")
		return
	}
	in := s.Instance(id)
	if in == nil {
		writeJSON(w, http.StatusOK, map[string]any{"instances": nil})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"instances": in})
}

// listPage is the v1 list's page size.
const listPage = 25

func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	filters := map[string]map[string]any{}
	if sf := q.Get("select_filters"); sf != "" {
		if err := json.Unmarshal([]byte(sf), &filters); err != nil {
			badRequest(w, "select_filters must be a JSON object of field: {op: value}")
			return
		}
	}
	limit := listPage
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n <= 0 {
			badRequest(w, "limit must be a positive integer")
			return
		}
		limit = min(n, listPage)
	}
	var after int64
	if tok := q.Get("after_token"); tok != "" {
		n, err := strconv.ParseInt(tok, 10, 64)
		if err != nil {
			badRequest(w, "invalid after_token")
			return
		}
		after = n
	}
	s.mu.Lock()
	var rows []map[string]any
	total := 0
	labels := map[string]int{}
	for _, id := range s.sortedIDsLocked() {
		in := s.instances[id]
		ok, err := match(in, filters)
		if err != nil {
			s.mu.Unlock()
			badRequest(w, "select_filters: %v", err)
			return
		}
		if ok {
			total++
			if l, isStr := in["label"].(string); isStr {
				labels[l]++
			}
			if id > after {
				rows = append(rows, clone(in))
			}
		}
	}
	s.mu.Unlock()
	var next any
	if len(rows) > limit {
		rows = rows[:limit]
		next = strconv.FormatInt(int64(rows[limit-1]["id"].(float64)), 10)
	}
	if rows == nil {
		rows = []map[string]any{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"instances": rows, "next_token": next, "total_instances": total, "label_counts": labels})
}

func (s *Server) destroy(w http.ResponseWriter, rest string) {
	id, ok := pathID(rest)
	if !ok {
		badRequest(w, "invalid instance_id")
		return
	}
	s.mu.Lock()
	_, exists := s.instances[id]
	delete(s.instances, id)
	delete(s.keys, id)
	hook := s.hooks.OnDestroy
	s.mu.Unlock()
	if !exists {
		writeJSON(w, http.StatusNotFound, map[string]any{"success": false, "error": "no_such_instance", "msg": fmt.Sprintf("Instance %d not found.", id)})
		return
	}
	if hook != nil {
		hook(id)
	}
	writeJSON(w, http.StatusOK, map[string]any{"success": true})
}

// update is PUT /instances/{id}/: {"state": "stopped"|"running"} stops or starts the
// instance (a stopped one still exists and bills storage), {"label": ...} relabels it.
func (s *Server) update(w http.ResponseWriter, r *http.Request, rest string) {
	id, ok := pathID(rest)
	if !ok {
		badRequest(w, "invalid instance_id")
		return
	}
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		badRequest(w, "Invalid json body")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	in := s.instances[id]
	if in == nil {
		writeJSON(w, http.StatusNotFound, map[string]any{"success": false, "error": "no_such_instance", "msg": fmt.Sprintf("Instance %d not found.", id)})
		return
	}
	if st, ok := body["state"].(string); ok {
		if st != "stopped" && st != "running" {
			badRequest(w, "state must be stopped or running")
			return
		}
		in["intended_status"], in["actual_status"] = st, st
	}
	if l, ok := body["label"].(string); ok {
		in["label"] = l
	}
	writeJSON(w, http.StatusOK, map[string]any{"success": true})
}

func (s *Server) sortedIDsLocked() []int64 {
	ids := make([]int64, 0, len(s.instances))
	for id := range s.instances {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}
