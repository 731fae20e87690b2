# Samwise — the two commands a fresh Debian machine needs are `make run` and
# `make test`; both install what they need first (idempotently).
GO ?= go
export CGO_ENABLED := 1
ENGINE := bin/engine

.PHONY: run serve setup-run setup-test build engine test test-go test-gateway vet generate bench clean

## run: build and start Samwise (the engine with the demo model until the desktop app lands)
run: setup-run engine
	$(ENGINE) serve

## setup-run / setup-test: system packages, ONNX Runtime and test servers
setup-run:
	build/setup-debian.sh run
	build/fetch-onnxruntime.sh

setup-test:
	build/setup-debian.sh run test
	build/fetch-onnxruntime.sh
	build/install-versitygw.sh

build: engine

engine:
	$(GO) build -o $(ENGINE) ./engine

## test: every tier — Go unit and integration tests, the gateway in workerd
test: setup-test vet test-go test-gateway

vet:
	$(GO) vet ./...
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi

test-go:
	$(GO) test -tags integration -count=1 ./...

test-gateway:
	remote/gateway/test.sh

## generate: regenerate committed outputs (demo models, OpenAPI document)
generate:
	$(GO) generate ./assets
	$(GO) run ./engine/apigen/cmd -openapi docs/openapi.json

## bench: engine bench on the demo model plus the Go benchmarks
bench: setup-run engine
	$(ENGINE) bench
	$(GO) test -run '^$$' -bench . -benchtime 20x ./engine/mask ./engine/imaging ./engine/tokenizer

clean:
	rm -rf bin
