# mock.mk: build the loopback mock server, build/triage-mock.
#
# Included by the top-level Makefile, or run alone from the repository
# root:  make -f tests/mock/mock.mk
# The including Makefile's CC, CPPFLAGS, CFLAGS and LDFLAGS are used;
# standalone, CFLAGS has the defaults below.

MOCK_STANDALONE := $(filter tests/mock/mock.mk,$(firstword $(MAKEFILE_LIST)))
MOCK_SAVED_GOAL := $(.DEFAULT_GOAL)

# The including Makefile's BUILD (build/ or build/san/) when it has one.
MOCK_BUILD   ?= $(if $(BUILD),$(BUILD),build)
MOCK          = $(MOCK_BUILD)/triage-mock
MOCK_SRCS     = $(wildcard tests/mock/*.c)
MOCK_OBJS     = $(MOCK_SRCS:tests/mock/%.c=$(MOCK_BUILD)/mock/%.o)
MOCK_HDRS     = $(wildcard tests/mock/*.h)
MOCK_PKGS     = libmicrohttpd jansson

CFLAGS       ?= -std=c11 -O2 -g -Wall -Wextra -Wpedantic -Werror

# The BSD names (struct linger, gettimeofday) need _DEFAULT_SOURCE.
MOCK_CPPFLAGS   = -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
MOCK_PKG_CFLAGS := $(shell pkg-config --cflags $(MOCK_PKGS))
MOCK_PKG_LIBS   := $(shell pkg-config --libs $(MOCK_PKGS))

mock: $(MOCK)

$(MOCK): $(MOCK_OBJS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(MOCK_OBJS) $(MOCK_PKG_LIBS) -lpthread

$(MOCK_BUILD)/mock/%.o: tests/mock/%.c $(MOCK_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(MOCK_CPPFLAGS) $(CFLAGS) $(MOCK_PKG_CFLAGS) -c -o $@ $<

mock-clean:
	rm -rf $(MOCK_BUILD)/mock $(MOCK)

.PHONY: mock mock-clean

# Included, leave the including Makefile's default goal alone.
ifeq ($(MOCK_STANDALONE),)
.DEFAULT_GOAL := $(MOCK_SAVED_GOAL)
endif
