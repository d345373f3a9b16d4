# One command to set up and run the demo, one to run the tests (see README.md).
.PHONY: setup demo run test bench
setup:
	@bash scripts/setup
demo: setup
	.venv/bin/briefing demo
run: setup
	.venv/bin/briefing run
test: setup
	.venv/bin/pytest
bench: setup
	.venv/bin/python bench/eval.py ../shared/data
	.venv/bin/python bench/tag_speed.py ../shared/data
