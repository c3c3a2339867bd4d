//! The machine a run happened on, and the peak memory of this process (Linux).

use std::path::Path;

/// Cores, CPU model and load, for the first line of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Machine {
    /// Logical cores available to this process.
    pub cores: usize,
    /// The CPU's `model name` from `/proc/cpuinfo`, or `unknown`.
    pub cpu: String,
    /// The 1-minute load average, when known.
    pub load: Option<f64>,
}

impl Machine {
    /// Reads the machine's description.
    pub fn current() -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = cpuinfo
            .lines()
            .find_map(|l| {
                l.strip_prefix("model name")?
                    .split_once(':')
                    .map(|(_, v)| v.trim().to_owned())
            })
            .unwrap_or_else(|| "unknown".to_owned());
        Machine {
            cores: std::thread::available_parallelism().map_or(1, usize::from),
            cpu,
            load: load_average(),
        }
    }
}

impl std::fmt::Display for Machine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} cores, {}", self.cores, self.cpu)?;
        if let Some(load) = self.load {
            write!(f, ", load average {load:.2}")?;
        }
        Ok(())
    }
}

/// The 1-minute load average (`/proc/loadavg`).
pub fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// A `kB` figure of `/proc/<pid>/status`, e.g. `VmHWM` (peak resident memory).
fn status_kb(status: &Path, key: &str) -> Option<u64> {
    let text = std::fs::read_to_string(status).ok()?;
    parse_status_kb(&text, key)
}

fn parse_status_kb(text: &str, key: &str) -> Option<u64> {
    text.lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// This process's peak resident set size in kB (`VmHWM`), when known.
pub fn peak_rss_kb() -> Option<u64> {
    status_kb(Path::new("/proc/self/status"), "VmHWM")
}

/// Clock ticks per second of `/proc/<pid>/stat` times (`USER_HZ`, 100 on Linux).
const USER_HZ: f64 = 100.0;

/// CPU time (user + system, all threads) this process has used, in seconds.
/// On a busy machine it says more about the work than wall time does.
pub fn cpu_seconds() -> Option<f64> {
    parse_stat_cpu(&std::fs::read_to_string("/proc/self/stat").ok()?)
}

fn parse_stat_cpu(stat: &str) -> Option<f64> {
    // Fields after the command name (which may hold spaces, so split after `)`):
    // state is field 3, utime field 14, stime field 15.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / USER_HZ)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cpu_time_from_a_stat_line() {
        let stat = "4242 (sfgen bench) R 1 2 3 4 5 6 7 8 9 10 250 50 0 0 20 0 3 0 100";
        assert_eq!(parse_stat_cpu(stat), Some(3.0));
        assert_eq!(parse_stat_cpu("garbage"), None);
    }

    #[test]
    fn reads_kb_figures_of_a_status_file() {
        let status = "Name:\tx\nVmPeak:\t  2000 kB\nVmHWM:\t    1234 kB\nVmRSS:\t 1000 kB\n";
        assert_eq!(parse_status_kb(status, "VmHWM"), Some(1234));
        assert_eq!(parse_status_kb(status, "VmRSS"), Some(1000));
        assert_eq!(parse_status_kb(status, "VmSwap"), None);
    }
}
