# How busy the machine is, for benchmark scripts that report the load they ran under. Sourced by
# bench/scaling.sh and bench/convergence/run.sh; /proc ticks are 1/100 s on Linux.

machine_busy_ticks() {  # CPU time of all processes so far: the cpu line of /proc/stat less idle
  local fields  # cpu user nice system idle iowait irq softirq steal ...
  read -ra fields </proc/stat
  echo $((fields[1] + fields[2] + fields[3] + fields[6] + fields[7] + fields[8]))
}

children_ticks() {  # CPU time of this shell's finished children so far (cutime + cstime)
  local fields
  read -ra fields <"/proc/$$/stat"
  echo $((fields[15] + fields[16]))
}
