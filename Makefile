# qcode: `make demo` runs the whole pipeline on the bundled samples; `make test` runs the tests.
# Both create .venv from this repository's own files; nothing needs installing by hand.

PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
QCODE   = $(abspath $(BIN)/qcode)
DEMO   ?= demo_out

.PHONY: demo test lint bench bench-scale clean mutate

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

venv: $(BIN)/.installed

demo: $(BIN)/.installed
	@rm -rf $(DEMO) && mkdir -p $(DEMO)
	@echo "== 1. a new project, Spanish by default"
	$(QCODE) init $(DEMO)/study --lang es
	@echo "== 2. import six interviews (.txt, .md, .docx, .vtt) with role/prison/year attributes"
	cd $(DEMO)/study && $(QCODE) import ../../transcripts_sample --attributes ../../transcripts_sample/attributes.csv
	cd $(DEMO)/study && $(QCODE) docs
	@echo "== 2b. transcripts from other tools: the layout is detected per file; --dry-run writes nothing"
	cd $(DEMO)/study && $(QCODE) import --dry-run ../../tests/data/transcripts/otter.txt ../../tests/data/transcripts/padded_column.txt
	cd $(DEMO)/study && $(QCODE) speakers role G respondent --doc guardia_lurigancho_2016
	cd $(DEMO)/study && $(QCODE) speakers guardia_lurigancho_2016
	@echo "== 2c. anonymisation check: the samples scan clean; a file with a name and a phone is refused, then pseudonymised"
	$(QCODE) pii scan transcripts_sample
	@printf 'E: ¿Quién le vendió el equipo?\nR: El técnico Paucar, celular 987 654 321.\nE: ¿Y después?\nR: Paucar se fue.\n' > $(DEMO)/leaky.txt
	cd $(DEMO)/study && ! $(QCODE) import ../leaky.txt
	$(QCODE) pii redact $(DEMO)/leaky.txt -o $(DEMO)/leaky_redacted.txt --key $(DEMO)/leaky_key.csv
	cat $(DEMO)/leaky_redacted.txt $(DEMO)/leaky_key.csv
	@echo "== 3. check and load the codebook"
	$(QCODE) codebook validate codebooks/prison_phones.yaml
	cd $(DEMO)/study && $(QCODE) codebook load ../../codebooks/prison_phones.yaml
	@echo "== 4. code a segment by hand, then bring in two coders' independent codings"
	cd $(DEMO)/study && $(QCODE) show guardia_lurigancho_2016 | head -40
	cd $(DEMO)/study && $(QCODE) code guardia_lurigancho_2016 9 obstacle.infrastructure --coder demo --memo "scanner broken for eight months"
	cd $(DEMO)/study && $(QCODE) codings import ../../transcripts_sample/codings_ana.csv
	cd $(DEMO)/study && $(QCODE) codings import ../../transcripts_sample/codings_ben.csv
	cd $(DEMO)/study && $(QCODE) codebook show --no-definitions
	@echo "== 5. suggestions: codebook patterns matched on lemmas, and a model trained on the codings"
	cd $(DEMO)/study && $(QCODE) suggest --method rules
	cd $(DEMO)/study && $(QCODE) suggest --method model
	cd $(DEMO)/study && $(QCODE) suggestions experta_lima_2017 --status pending | head -24
	cd $(DEMO)/study && $(QCODE) suggest evaluate
	@echo "== 6. review in the terminal (here driven by piped keys: next, next, accept 1, quit)"
	cd $(DEMO)/study && printf '\n\n1\nq\n' | $(QCODE) review guardia_lurigancho_2016 --coder demo | tail -22
	@echo "== 7. agreement between the two coders, and what they disagree on"
	cd $(DEMO)/study && $(QCODE) agree --coders ana,ben
	cd $(DEMO)/study && $(QCODE) agree --coders ana,ben --unit span --codes 'route.*'
	cd $(DEMO)/study && $(QCODE) disagreements --coders ana,ben --code 'route.*'
	@echo "== 7b. a memo from the discussion, the agreed coding as consensus coder 'final', the coders"
	cd $(DEMO)/study && $(QCODE) --coder ana memo guardia_lurigancho_2016 7 "discussed: visitors, not staff"
	cd $(DEMO)/study && $(QCODE) memos
	cd $(DEMO)/study && $(QCODE) agree --coders ana,ben --consensus final --format csv > /dev/null
	cd $(DEMO)/study && $(QCODE) coders
	@echo "== 8. quotations for one code"
	cd $(DEMO)/study && $(QCODE) quotes route.suppliers
	@echo "== 9. exports: matrices, a heatmap, quotations for Word, a full report"
	cd $(DEMO)/study && $(QCODE) export matrix --out ../matrix.csv
	cd $(DEMO)/study && $(QCODE) export matrix --by attribute:role --level 1 --labels name --format md
	cd $(DEMO)/study && $(QCODE) export heatmap --by attribute:role --out ../heatmap.png
	cd $(DEMO)/study && $(QCODE) export quotes --code route --by attribute:role --out ../quotes.docx
	@echo "== 9b. hostile files get one line and change nothing: a codebook with YAML aliases ('billion laughs')"
	printf 'a: &a [lol, lol]\nb: [*a, *a]\ncodes: []\n' > $(DEMO)/laughs.yaml
	-$(QCODE) codebook validate $(DEMO)/laughs.yaml
	@echo "== 10. LaTeX for a thesis: fragments to \\input that fit an A4 page (--standalone compiles alone)"
	cd $(DEMO)/study && $(QCODE) export codebook --out ../codebook.tex
	cd $(DEMO)/study && $(QCODE) agree --coders ana,ben --format tex --standalone > ../agreement.tex
	@echo "== 11. REFI-QDA: the whole project for NVivo, ATLAS.ti, MAXQDA, QualCoder; back into a new project"
	cd $(DEMO)/study && $(QCODE) export qdpx ../study.qdpx
	$(QCODE) init $(DEMO)/from_qdpx --from $(DEMO)/study.qdpx
	cd $(DEMO)/study && $(QCODE) codebook export --format qdc --out ../codebook.qdc
	@echo "== 12. the report a supervisor opens as it is"
	cd $(DEMO)/study && $(QCODE) report ../report
	@echo "== done: the project is $(DEMO)/study/qcode.db; tables, heatmap and quotations are in $(DEMO)/; the report: open $(DEMO)/report/index.html (or index.md), compile report.tex"

test: $(BIN)/.installed
	$(BIN)/ruff check qcode tests bench
	$(BIN)/pytest

lint: $(BIN)/.installed
	$(BIN)/ruff check qcode tests bench

# make bench [QUICK=1] [BENCH="import suggest ..."]: whole-process figures against baselines,
# appended to bench/RESULTS.md (QUICK=1: 200 documents, under two minutes on an idle machine;
# BEFORE=DIR: also against an earlier qcode source tree, e.g. from `git archive REV`)
bench: $(BIN)/.installed
	$(BIN)/python -m bench $(if $(QUICK),--quick) $(if $(BEFORE),--before $(BEFORE)) $(BENCH)

# make bench-scale [DOCS=17000]: archive scale (import, a killed and resumed import, rules,
# export matrix, docs/show), at nice 10; DOCS=1700 for a scaled-down run
bench-scale: $(BIN)/.installed
	nice -n 10 $(BIN)/python -m bench.scale $(if $(DOCS),--docs $(DOCS))

.PHONY: pii-eval
pii-eval: $(BIN)/.installed
	$(BIN)/python -m bench.pii_eval

# Mutation testing (mutmut 3; slow, not run in CI). Each pattern below is one module or the
# functions of it in scope; docs/mutation.md lists the scores and the modules still pending.
# One module: make mutate MUTANTS='qcode.codings.x_targets*'.  Cores: MUTATE_JOBS=2.
MUTANTS ?= qcode.agreement.coefficients.* qcode.agreement.unitizing.* \
           qcode.agreement.units.* qcode.codings.x_targets* qcode.codings.x_parse_* \
           qcode.importers.decoding.* qcode.matrices.x_coded_units* \
           qcode.matrices.x__word_counts* qcode.matrices.x_cooccurrence* \
           qcode.suggest.evaluate.* qcode.suggest.rules.* \
           qcode.codebook.* qcode.yaml_nodes.* \
           qcode.matrices.* qcode.quotations.* \
           qcode.importers.turns.* qcode.importers.layouts.* qcode.importers.markers.* \
           qcode.pii.* qcode.refi.positions.* qcode.refi.guids.*
MUTATE_JOBS ?= 2

mutate: $(BIN)/.installed
	@mkdir -p mutants
	@echo "== mutmut run $(MUTANTS) (log: mutants/mutmut.log)"
	@nice -n 19 $(BIN)/mutmut run --max-children $(MUTATE_JOBS) $(foreach p,$(MUTANTS),'$(p)') \
	  > mutants/mutmut.log 2>&1 || { tail -c 3000 mutants/mutmut.log; exit 1; }
	@$(BIN)/python -m tools.mutation_score $(foreach p,$(MUTANTS),'$(p)')

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache .ruff_cache .hypothesis mutants
