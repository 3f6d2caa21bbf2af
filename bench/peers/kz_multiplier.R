# The reference model (scenarios/examples/kz-multiplier.toml) in base R, vectorised: one vector
# per quantity, quantile(type = 7) for the intervals. Prints one JSON object: mean, sd and
# quantiles of each output.
#
#   Rscript bench/peers/kz_multiplier.R [DRAWS] [SEED]

args <- commandArgs(trailingOnly = TRUE)
draws <- if (length(args) >= 1) as.numeric(args[1]) else 1e7
seed <- if (length(args) >= 2) as.integer(args[2]) else 2023L
set.seed(seed)

cases_per_victim <- runif(draws, 1, 2)
reporting_rate <- rbeta(draws, 4, 16)
crisis_uptake <- rbeta(draws, 13, 187)
population <- rnorm(draws, 4.7e6, 1e5)
baseline <- rbeta(draws, 27, 73)

victims_police <- 67500 / cases_per_victim / reporting_rate
victims_crisis <- 4400 / crisis_uptake
victims <- (victims_police + victims_crisis) / 2
prevalence <- victims / population
exceeds <- as.numeric(prevalence > baseline)

levels <- c(0.025, 0.5, 0.975)
outputs <- list(victims_police = victims_police, victims_crisis = victims_crisis,
                victims = victims, prevalence = prevalence, exceeds = exceeds)

number <- function(x) formatC(x, digits = 17, format = "g")
summary_json <- function(values) {
  q <- quantile(values, levels, type = 7, names = FALSE)
  sprintf('{"mean": %s, "sd": %s, "quantiles": {%s}}', number(mean(values)), number(sd(values)),
          paste(sprintf('"%s": %s', levels, number(q)), collapse = ", "))
}
cat(sprintf('{"tool": "R", "version": "%s", "draws": %s, "outputs": {%s}}\n',
            R.version.string, format(draws, scientific = FALSE),
            paste(sprintf('"%s": %s', names(outputs), vapply(outputs, summary_json, "")),
                  collapse = ", ")))
