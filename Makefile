# ckpt: build, boot and test the checkpoint/restart kernel.
#
#   make          set up, build everything, boot the test kernel and run the demo
#   make check    build everything, boot the test kernel, run the whole test suite
#   make bench    build the bench kernel (no debug options) and run the benchmarks
#
# The kernel is Debian's linux-source-6.12 unpacked into build/linux, with
# our files (kernel/ckpt/, include/*/ckpt.h) copied over it and patches/
# applied. Edit files in this repository, never in build/linux.

SHELL      := /bin/bash
TOP        := $(abspath .)
B          := $(TOP)/build
KSRC       := $(B)/linux
OBJ_TEST   := $(B)/obj-test
OBJ_BENCH  := $(B)/obj-bench
HDR        := $(B)/hdr
USER_OUT   := $(B)/user
TESTS_OUT  := $(B)/tests
INITRAMFS  := $(B)/initramfs.cpio
LOGS       := $(B)/logs

NPROC      := $(shell nproc)
KCC        := $(if $(shell command -v ccache),ccache gcc,gcc)
# Paths under the checkout are hashed relative to it: a fresh clone reuses the cache.
export CCACHE_BASEDIR := $(TOP)
CC_USER    ?= gcc
# Extra config fragment merged last, for local experiments (not for commits):
#   make check EXTRA_CONFIG=build/my.config
EXTRA_CONFIG ?=
# Seconds before a hung guest is killed.
CHECK_TIMEOUT ?= 2700
DEMO_TIMEOUT  ?= 900
BENCH_TIMEOUT ?= 2700

TEST_FRAGS  := configs/base.config configs/ckpt.config configs/debug.config $(EXTRA_CONFIG)
BENCH_FRAGS := configs/base.config configs/ckpt.config configs/bench.config $(EXTRA_CONFIG)

# Kernel work is serialized: concurrent "make"s in this tree wait for each other.
LOCK  := mkdir -p $(B) && flock $(B)/.lock
KMAKE := $(MAKE) -C $(KSRC) CC="$(KCC)" -j$(NPROC)

.NOTPARALLEL:
.PHONY: all demo check bench setup source config kernel kernel-bench headers \
	user initramfs clean distclean help

all: demo

help:
	@sed -n '2,9s/^# \{0,1\}//p' Makefile

setup:
	@scripts/setup

source: setup
	@$(LOCK) scripts/prepare-source

config: source
	@$(LOCK) scripts/mkconfig $(OBJ_TEST) $(TEST_FRAGS)

kernel: config
	@echo "kernel: building $(OBJ_TEST)/arch/x86/boot/bzImage"
	@$(LOCK) $(KMAKE) O=$(OBJ_TEST) bzImage

kernel-bench: source
	@$(LOCK) scripts/mkconfig $(OBJ_BENCH) $(BENCH_FRAGS)
	@echo "kernel: building $(OBJ_BENCH)/arch/x86/boot/bzImage"
	@$(LOCK) $(KMAKE) O=$(OBJ_BENCH) bzImage

# Exported uapi headers, for user space. rsync -a keeps the mtimes of headers
# that did not change, so user space rebuilds only when the uapi changes.
headers: config
	@$(LOCK) $(KMAKE) -s O=$(OBJ_TEST) headers
	@mkdir -p $(HDR)/include
	@rsync -a --delete -m --include='*/' --include='*.h' --exclude='*' \
		$(OBJ_TEST)/usr/include/ $(HDR)/include/

# ckptctl and the tests, static, against build/hdr/include.
user: headers
	@if [ -f tools/ckptctl/Makefile ]; then \
		$(MAKE) -C tools/ckptctl CC="$(CC_USER)" HDR=$(HDR)/include OUT=$(USER_OUT); \
	else echo "warning: tools/ckptctl/Makefile missing: ckptctl not built" >&2; fi
	@if [ -f tests/Makefile ]; then \
		$(MAKE) -C tests CC="$(CC_USER)" HDR=$(HDR)/include OUT=$(TESTS_OUT); \
	else echo "warning: tests/Makefile missing: tests not built" >&2; fi

initramfs: user
	@scripts/mkinitramfs $(INITRAMFS)

demo: kernel initramfs
	@scripts/qemu-run --mode demo --timeout $(DEMO_TIMEOUT) --log $(LOGS)/demo.log

check: kernel initramfs
	@rm -f $(LOGS)/check.summary
	@scripts/qemu-run --mode check --timeout $(CHECK_TIMEOUT) --log $(LOGS)/check.log || true
	@scripts/check-log $(LOGS)/check.log | tee $(LOGS)/check.result; \
		st=$${PIPESTATUS[0]}; tail -n 1 $(LOGS)/check.result > $(LOGS)/check.summary; exit $$st

bench: kernel-bench initramfs
	@scripts/qemu-run --bench --mode bench --timeout $(BENCH_TIMEOUT) --log $(LOGS)/bench.log

clean:
	rm -rf $(OBJ_TEST) $(OBJ_BENCH) $(HDR) $(USER_OUT) $(TESTS_OUT) \
		$(B)/initramfs $(INITRAMFS) $(B)/run

distclean:
	rm -rf $(B)
