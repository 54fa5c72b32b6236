"""Inter-coder agreement: coefficients, units built from a project, unitizing alpha,
reports per code, disagreement lists and consensus coding."""

from .coefficients import (
    brennan_prediger,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
    scott_pi,
)
from .report import AgreementReport, agree, agree_ratings, consensus, disagreements
from .unitizing import unitizing_alpha

__all__ = ["AgreementReport", "agree", "agree_ratings", "brennan_prediger", "cohen_kappa",
           "consensus", "disagreements", "fleiss_kappa", "gwet_ac1", "krippendorff_alpha",
           "percent_agreement", "scott_pi", "unitizing_alpha"]
