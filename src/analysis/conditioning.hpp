#pragma once

#include <cstddef>
#include <vector>

#include "darkfigure/engine/engine.hpp"
#include "darkfigure/engine/thread_pool.hpp"
#include "darkfigure/report/result.hpp"
#include "darkfigure/scenario/scenario.hpp"

namespace darkfigure::analysis::detail {

/// The program slots a conditioned run keeps besides its outputs: every observation's parameters
/// in order, then every prior's quantity. weigh() reads engine::Simulation::kept in this order.
std::vector<std::size_t> conditioning_slots(const scenario::Scenario& scenario);

/// The importance weights of a conditioned simulation and what they say.
struct Weights {
  /// Per draw: finite, at least 0, the largest 1.
  std::vector<double> weights;
  report::Conditioning conditioning;  ///< ess, weight share, per-observation and per-prior checks
};

/// Weighs every draw of `simulation` (made with conditioning_slots()) by Bayesian melding
/// (Poole and Raftery 2000) and the likelihood of the observations:
///
///     log w = sum over priors (1 - pooling) (log q(x) - log q1(x)) + sum over observations log L
///
/// where q is the stated prior density of a quantity x and q1 its induced density (exact for an
/// input, a kernel density estimate for a derived quantity). Each observation's prior predictive
/// check is averaged over the draws weighted by the priors alone. Throws core::InputError, at the
/// observation or prior to blame, when no draw keeps a positive weight. Sums run in fixed chunks
/// combined in order, so the result does not depend on the pool's size.
Weights weigh(const scenario::Scenario& scenario, const engine::Simulation& simulation,
              engine::ThreadPool& pool);

}  // namespace darkfigure::analysis::detail
