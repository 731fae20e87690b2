# Samwise — the two commands a fresh Debian machine needs are `make run` and
# `make test`; both install what they need first (idempotently).
GO ?= go
export CGO_ENABLED := 1
ENGINE := bin/engine

.PHONY: run serve setup-run setup-test build engine ui app test test-go test-gateway test-frontend test-desktop vet generate bench clean

## run: build and start Samwise: the desktop app on the demo model, or, on
## Linux without a display, the engine with the annotator as a web UI
run: setup-run
	build/run.sh

## setup-run / setup-test: system packages, ONNX Runtime and test servers
setup-run:
	build/setup-debian.sh run desktop
	build/fetch-onnxruntime.sh

setup-test:
	build/setup-debian.sh run test desktop
	build/fetch-onnxruntime.sh
	build/install-versitygw.sh

build: engine ui app

engine:
	$(GO) build -o $(ENGINE) ./engine

## ui: the annotator (frontend/dist), served by `engine serve --ui`
ui:
	cd frontend && { [ -f node_modules/.samwise-ci ] && [ ! package-lock.json -nt node_modules/.samwise-ci ] || { npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.samwise-ci; }; } && npm run --silent build

## app: the desktop app (bin/samwise, Wails, built with the right tags)
app:
	build/app.sh

## test: every tier — Go unit and integration tests (real ONNX Runtime, ffmpeg,
## versitygw, engine processes), the gateway in workerd, the UI in Chromium,
## the desktop app under Xvfb
test: setup-test vet test-go test-gateway test-frontend test-desktop

vet: ui
	$(GO) vet ./...
	$(GO) vet -tags desktop,production,webkit2_41 . ./app/...
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi

test-go:
	$(GO) test -tags integration -count=1 ./...
	CGO_ENABLED=0 $(GO) test -count=1 ./engine/ort

test-gateway:
	remote/gateway/test.sh

test-frontend:
	frontend/test.sh video

test-desktop:
	build/desktop-smoke.sh

## generate: regenerate committed outputs (demo models, OpenAPI document)
generate:
	$(GO) generate ./assets
	$(GO) run ./engine/apigen/cmd -openapi docs/openapi.json -ts frontend/src/api/types.gen.ts

## bench: engine bench on the demo model plus the Go benchmarks
bench: setup-run engine
	$(ENGINE) bench
	$(GO) test -run '^$$' -bench . -benchtime 20x ./engine/mask ./engine/imaging ./engine/tokenizer

clean:
	rm -rf bin
