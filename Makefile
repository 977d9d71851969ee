# Shortcuts for scripts/dev.sh, which does the real work (and needs no make).
.PHONY: demo test setup bench screenshots
demo:
	scripts/dev.sh demo
test:
	scripts/dev.sh test
setup:
	scripts/dev.sh setup test
