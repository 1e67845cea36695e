# ims: an inventory management toolkit for the shell.
# make [all|check|torture|demo|bench|install|uninstall|lint|clean] [SAN=1]
#      [VALGRIND=1]

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
BASHDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHDIR ?= $(PREFIX)/share/zsh/site-functions
SHAREDIR ?= $(PREFIX)/share/ims

CC ?= cc
CFLAGS ?= -O2 -g
PKGS = lmdb libcjson nettle
override CFLAGS += -std=gnu11 -Wall -Wextra -Werror -Ilib \
	$(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# LMDB, libcsv and nettle linked statically when Debian's archives are
# there: a one-record call is mostly process start-up, and fewer shared
# objects to relocate make it start faster.
STATIC_OK := $(shell test -f /usr/lib/$$(gcc -print-multiarch 2>/dev/null)/liblmdb.a && echo y)
ifeq ($(STATIC_OK),y)
LDLIBS += -Wl,-Bstatic -llmdb -lcsv -lnettle -Wl,-Bdynamic -lcjson -lpthread
else
LDLIBS += $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -llmdb -lcjson -lnettle) -lcsv
endif

# the forecasting methods use libm
LDLIBS += -lm

# Sanitizer builds live apart, so that the two never mix objects.
ifeq ($(SAN),1)
B = build-san
override CFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
override LDFLAGS += -fsanitize=address,undefined
else
B = build
endif

CMDS = ims ims-item ims-loc ims-supplier ims-receive ims-move ims-report \
	ims-check ims-log ims-backup ims-pick ims-forecast ims-count ims-po ims-reorder \
	ims-client ims-channel ims-checkpoint
LIBSRC = $(wildcard lib/*.c)
LIBOBJ = $(LIBSRC:lib/%.c=$(B)/lib/%.o)
BINS = $(CMDS:%=$(B)/bin/%)
UNIT = $(B)/tests/unit
FCUNIT = $(B)/tests/forecast-unit
LEADTIME = $(B)/tests/lead-time
# the benchmark's tools, for its smoke run in make check
BENCHBIN = $(B)/bench
BENCHTOOLS = $(BENCHBIN)/gen $(BENCHBIN)/floor $(BENCHBIN)/oneput \
	$(BENCHBIN)/scan $(BENCHBIN)/timeit $(BENCHBIN)/countfloor $(BENCHBIN)/pickfloor
ENOSPC = $(B)/tests/enospc.so
# the reference model and its driver (tests/model/)
MODEL = $(B)/tests/model
MAN1 = $(CMDS:%=man/%.1)
MANS = $(MAN1) man/ims-records.5 man/ims.7

all: $(BINS) $(UNIT) $(FCUNIT) $(LEADTIME) $(ENOSPC)

$(B)/lib/%.o: lib/%.c lib/ims.h lib/journal.h lib/check.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

$(B)/libims.a: $(LIBOBJ)
	$(AR) rcs $@ $^

$(B)/bin/%: cmd/%.c $(B)/libims.a lib/ims.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libims.a $(LDLIBS)

$(UNIT): tests/unit.c $(B)/libims.a lib/ims.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libims.a $(LDLIBS)

$(FCUNIT): tests/forecast-unit.c $(B)/libims.a lib/ims.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libims.a $(LDLIBS)

$(MODEL): tests/model/model.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $<

$(LEADTIME): tests/lead-time.c $(B)/libims.a lib/ims.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libims.a $(LDLIBS)

# A full disk for the tests, preloaded into commands.  Built without
# $(CFLAGS): with the sanitizers its own ASan runtime would be loaded
# before the command's.
$(ENOSPC): tests/enospc.c
	@mkdir -p $(@D)
	$(CC) -O2 -g -std=gnu11 -Wall -Wextra -Werror -fPIC -shared -o $@ $< \
		-ldl

# VALGRIND=1: the tests run every command under memcheck, through one
# wrapper script a command in $(B)/valgrind.  The wrapper finds the real
# command on PATH, so that it keeps its own name in argv[0].
VGOPTS = -q --error-exitcode=99 --trace-children=yes --leak-check=full \
	--errors-for-leak-kinds=definite --show-leak-kinds=definite \
	--suppressions=$(CURDIR)/tests/valgrind.supp
ifeq ($(VALGRIND),1)
VGBIN = $(B)/valgrind
TBIN = $(VGBIN)
TVG = valgrind $(VGOPTS)
else
TBIN = $(B)/bin
endif
TEST_ENV = IMS_BIN=$(CURDIR)/$(TBIN) IMS_UNIT=$(CURDIR)/$(UNIT) \
	IMS_FCUNIT=$(CURDIR)/$(FCUNIT) \
	IMS_VALGRIND=$(VALGRIND) IMS_VALGRIND_CMD="$(TVG)" \
	IMS_ENOSPC=$(CURDIR)/$(ENOSPC) IMS_TOP=$(CURDIR) \
	IMS_BENCH_BIN=$(CURDIR)/$(BENCHBIN) IMS_MODEL=$(CURDIR)/$(MODEL)

$(B)/valgrind: $(BINS) Makefile
	@mkdir -p $@
	@vg=$$(command -v valgrind) && for c in $(CMDS); do \
		printf '#!/bin/sh\nPATH=%s:$$PATH\nexport PATH\nexec %s %s %s "$$@"\n' \
			"$(CURDIR)/$(B)/bin" "$$vg" "$(VGOPTS)" "$$c" \
			>$@/$$c && chmod +x $@/$$c || exit 1; \
	done
	@touch $@

# Install what is missing (as root), or say what to install, then build.
deps:
	@sh mk/deps.sh

check: deps
	@$(MAKE) --no-print-directory all $(VGBIN) $(BENCHTOOLS) $(MODEL)
	$(TEST_ENV) prove -j2 tests/*.t < /dev/null

# The long versions of the crash and concurrency tests.
TORTURE_ROUNDS ?= 500
TORTURE_SECONDS ?= 60
MODEL_OPS ?= 1000000
MODEL_SEED ?= 1
MODEL_JOBS ?= 2
torture: deps
	@$(MAKE) --no-print-directory all $(VGBIN) $(MODEL)
	$(TEST_ENV) TORTURE_ROUNDS=$(TORTURE_ROUNDS) \
	TORTURE_SECONDS=$(TORTURE_SECONDS) \
	MODEL_OPS=$(MODEL_OPS) MODEL_SEED=$(MODEL_SEED) MODEL_JOBS=$(MODEL_JOBS) \
		prove -v tests/0300-crash.t tests/0310-concurrency.t \
		tests/0950-model.t < /dev/null

demo: deps
	@$(MAKE) --no-print-directory all
	IMS_BIN=$(CURDIR)/$(B)/bin sh share/demo.sh

bench: all bench/out/gen bench/out/floor bench/out/oneput bench/out/scan \
	bench/out/timeit bench/out/fcgen bench/out/countfloor bench/out/pickfloor
	@sh bench/deps.sh
	IMS_BIN=$(CURDIR)/$(B)/bin sh bench/run.sh

bench/out/%: bench/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< $(LDLIBS)

# the generator writes numbers and times with libims's own functions
bench/out/gen $(BENCHBIN)/gen: bench/gen.c $(B)/libims.a lib/ims.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< $(B)/libims.a $(LDLIBS)

$(BENCHBIN)/%: bench/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< $(LDLIBS)

lint:
	mandoc -Tlint -W warning $(MANS)

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7 \
		$(DESTDIR)$(BASHDIR) $(DESTDIR)$(ZSHDIR)
	install -m 755 $(BINS) $(DESTDIR)$(BINDIR)
	install -m 644 $(MAN1) $(DESTDIR)$(MANDIR)/man1
	install -m 644 man/ims-records.5 $(DESTDIR)$(MANDIR)/man5
	install -m 644 man/ims.7 $(DESTDIR)$(MANDIR)/man7
	for c in $(CMDS); do \
		install -m 644 completions/ims.bash $(DESTDIR)$(BASHDIR)/$$c; \
	done
	install -m 644 completions/_ims $(DESTDIR)$(ZSHDIR)/_ims
	mkdir -p $(DESTDIR)$(SHAREDIR)
	install -m 755 share/nightly.sh $(DESTDIR)$(SHAREDIR)/nightly.sh
	install -m 644 share/ims-nightly.service share/ims-nightly.timer \
		$(DESTDIR)$(SHAREDIR)

uninstall:
	for c in $(CMDS); do \
		rm -f $(DESTDIR)$(BINDIR)/$$c $(DESTDIR)$(MANDIR)/man1/$$c.1 \
			$(DESTDIR)$(BASHDIR)/$$c; \
	done
	rm -f $(DESTDIR)$(MANDIR)/man5/ims-records.5 \
		$(DESTDIR)$(MANDIR)/man7/ims.7 $(DESTDIR)$(ZSHDIR)/_ims
	rm -f $(DESTDIR)$(SHAREDIR)/nightly.sh \
		$(DESTDIR)$(SHAREDIR)/ims-nightly.service \
		$(DESTDIR)$(SHAREDIR)/ims-nightly.timer

# libFuzzer harnesses (tests/fuzz/), built apart with clang and the
# sanitizers.  make fuzz [FUZZ_SECONDS=60] [FUZZ="dec time"]
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ = rec_ndjson rec_csv dec time post
FUZZ_CFLAGS = -std=gnu11 -g -O1 -Wall -Wextra -Werror -Ilib \
	-fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
FUZZOBJ = $(LIBSRC:lib/%.c=build-fuzz/lib/%.o)

build-fuzz/lib/%.o: lib/%.c lib/ims.h lib/journal.h lib/check.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

build-fuzz/fuzz-%: tests/fuzz/%.c tests/fuzz/fuzz.c tests/fuzz/fuzz.h $(FUZZOBJ)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< tests/fuzz/fuzz.c \
		$(FUZZOBJ) $(LDLIBS)

fuzz-build: $(FUZZ:%=build-fuzz/fuzz-%)

fuzz: fuzz-build
	sh tests/fuzz/run.sh -t $(FUZZ_SECONDS) $(FUZZ)

clean:
	rm -rf build build-san build-fuzz bench/out

.PHONY: all deps check torture demo bench lint install uninstall clean fuzz fuzz-build
.SECONDARY:
