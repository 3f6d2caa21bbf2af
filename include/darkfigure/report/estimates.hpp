#pragma once

#include <span>
#include <string>

#include "darkfigure/report/result.hpp"
#include "darkfigure/report/writer.hpp"
#include "darkfigure/scenario/scenario.hpp"

namespace darkfigure::report {

/// The [capture_recapture] estimates of `scenarios`, in file order, as `darkfigure estimate`
/// prints them. Per data set: the people seen, the estimate of the total with its standard error
/// and interval, the model with its deviance, degrees of freedom, AIC and BIC, every alternative
/// model (ranked as the estimator ranked them, with why a model has no estimate), and warnings.
/// - Table: a block per data set with an aligned table of the models;
/// - Csv: one row per data set and model, `chosen` marking the estimate's model, numbers in
///   shortest round-trip form, empty where a model does not define one, "inf" for an infinite end;
/// - Markdown: a heading and a pipe table per data set;
/// - Json (contract): {"darkfigure", "estimates": {NAME: {"n_observed", "estimate", "se",
///   "ci": [lo, hi], "model", "deviance", "df", "alternatives": [...], ...}}, "provenance"}; an
///   infinite end of "ci" is the string "inf", an unknown one null, as is any statistic a model
///   does not define.
/// Latex is not a format of this command. Names must be distinct across `scenarios`.
std::string render_estimates(Format format, std::span<const scenario::Scenario> scenarios,
                             const Provenance& provenance);

}  // namespace darkfigure::report
