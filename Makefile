# Course-in-a-box: one command per job. Everything runs in .venv, built from requirements.txt.
SHELL := /bin/bash
PY := .venv/bin/python
VENV_BIN := $(abspath .venv/bin)
# nbgrader shells out to alembic: the venv's bin/ must be on PATH wherever it runs.
export PATH := $(VENV_BIN):$(PATH)
HOMEWORKS := $(notdir $(wildcard solutions/hw*))
HW ?= hw0
RELEASED := $(notdir $(wildcard notebooks/hw*))
SUBMISSION ?= notebooks/$(HW)/$(HW).ipynb
SUBMISSIONS ?= build/nbgrader/submitted
OUT ?= build/batch/$(HW)
IMAGE ?= cv-grader

.PHONY: setup release autograder grade demo test lab lock clean handout otter batch image gpu-check

setup: .venv/.installed  ## build .venv from the pins and enable nbgrader's JupyterLab extension

.venv/.installed: requirements.txt pyproject.toml
	test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	.venv/bin/jupyter server extension enable --sys-prefix nbgrader >/dev/null 2>&1 || true
	.venv/bin/jupyter labextension enable nbgrader >/dev/null 2>&1 || true
	touch $@

release: setup  ## regenerate the student notebooks in notebooks/ with nbgrader generate_assignment
	$(PY) -m autograder.release $(HOMEWORKS)

autograder: setup  ## build autograder/dist/<hw>.zip for Gradescope
	@for hw in $(HOMEWORKS); do $(PY) -m autograder zip $$hw; done

grade: setup  ## grade one submission: make grade HW=hw0 SUBMISSION=path.ipynb
	$(PY) -m autograder grade $(HW) $(SUBMISSION) --results build/results/$(HW).json

handout: setup  ## the student handout: make handout [HW="hw0 hw1"] -> build/handout/ and build/handout.zip
	$(PY) -m autograder.handout $(if $(filter command line,$(origin HW)),$(HW),$(RELEASED))

otter: setup  ## otter-grader export: make otter HW=hw0 -> build/otter/hw0/ (autograder zip, tests, student folder)
	$(PY) -m autograder.otter_export $(HW)

demo: setup release autograder  ## grade reference answers and blank releases through the zips
	$(PY) -m autograder.demo $(HOMEWORKS)

test: setup  ## the project's test suite
	$(PY) -m pytest -n 2 -q tests

lab: setup  ## open JupyterLab on the student notebooks
	.venv/bin/jupyter lab notebooks

lock:  ## re-pin requirements.txt from the current .venv
	{ grep '^#' requirements.txt; $(PY) -m pip freeze --exclude-editable | sed 's/+cpu$$//'; } > requirements.txt.new
	mv requirements.txt.new requirements.txt

clean:
	rm -rf build autograder/dist

batch: setup  ## grade a class: make batch HW=hw0 SUBMISSIONS=folder-or-zip OUT=dir [JOBS=2] [SCHEDULER=tcp://host:8786]
	$(PY) -m autograder batch $(HW) $(SUBMISSIONS) --out $(OUT) $(if $(JOBS),--jobs $(JOBS)) $(if $(SCHEDULER),--scheduler $(SCHEDULER))

image:  ## build the GPU grading container (docker/Dockerfile) with docker or podman
	@engine=""; \
	if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then engine=docker; \
	elif command -v podman >/dev/null 2>&1 && podman info >/dev/null 2>&1; then engine=podman; fi; \
	if [ -z "$$engine" ]; then \
	  echo "make image: neither Docker (with a running engine) nor Podman is available here"; \
	  if command -v docker >/dev/null 2>&1; then echo "  (the docker client is installed, but no Docker engine answers)"; fi; \
	  echo "  install one, or build elsewhere: docker build -f docker/Dockerfile -t $(IMAGE) ."; \
	  exit 1; fi; \
	echo "building $(IMAGE) with $$engine"; \
	$$engine build -f docker/Dockerfile -t $(IMAGE) .

gpu-check: setup  ## grade every homework's reference and blank on CPU and GPU; table of scores
	$(PY) -m autograder.gpu_check
