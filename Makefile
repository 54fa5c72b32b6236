# qcode: `make demo` runs the whole pipeline on the bundled samples; `make test` runs the tests.
# Both create .venv from this repository's own files; nothing needs installing by hand.

PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
QCODE   = $(abspath $(BIN)/qcode)
DEMO   ?= demo_out

.PHONY: demo test lint bench clean mutate

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
	cd $(DEMO)/study && $(QCODE) report ../report
	@echo "== 9b. hostile files get one line and change nothing: a codebook with YAML aliases ('billion laughs')"
	printf 'a: &a [lol, lol]\nb: [*a, *a]\ncodes: []\n' > $(DEMO)/laughs.yaml
	-$(QCODE) codebook validate $(DEMO)/laughs.yaml
	@echo "== 10. REFI-QDA: the whole project for NVivo, ATLAS.ti, MAXQDA, QualCoder; back into a new project"
	cd $(DEMO)/study && $(QCODE) export qdpx ../study.qdpx
	$(QCODE) init $(DEMO)/from_qdpx --from $(DEMO)/study.qdpx
	cd $(DEMO)/study && $(QCODE) codebook export --format qdc --out ../codebook.qdc
	@echo "== done: the project is $(DEMO)/study/qcode.db; tables, heatmap and quotations are in $(DEMO)/, the report in $(DEMO)/report/index.md"

test: $(BIN)/.installed
	$(BIN)/ruff check qcode tests bench
	$(BIN)/pytest

lint: $(BIN)/.installed
	$(BIN)/ruff check qcode tests bench

bench: $(BIN)/.installed
	$(BIN)/python -m bench $(BENCH)

# Mutation testing (mutmut 3; slow, not run in CI). Each pattern below is one module or the
# functions of it in scope; docs/mutation.md lists the scores and the modules still pending.
# One module: make mutate MUTANTS='qcode.codings.x_targets*'.  Cores: MUTATE_JOBS=2.
MUTANTS ?= qcode.agreement.coefficients.* qcode.agreement.unitizing.* \
           qcode.agreement.units.* qcode.codings.x_targets* qcode.codings.x_parse_* \
           qcode.importers.decoding.* qcode.matrices.x_coded_units* \
           qcode.matrices.x__word_counts* qcode.matrices.x_cooccurrence* \
           qcode.suggest.evaluate.* qcode.suggest.rules.*
MUTATE_JOBS ?= 2

mutate: $(BIN)/.installed
	@mkdir -p mutants
	@echo "== mutmut run $(MUTANTS) (log: mutants/mutmut.log)"
	@nice -n 19 $(BIN)/mutmut run --max-children $(MUTATE_JOBS) $(foreach p,$(MUTANTS),'$(p)') \
	  > mutants/mutmut.log 2>&1 || { tail -c 3000 mutants/mutmut.log; exit 1; }
	@$(BIN)/python -m tools.mutation_score $(foreach p,$(MUTANTS),'$(p)')

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache .ruff_cache .hypothesis mutants
