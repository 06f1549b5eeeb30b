//! Reads `map.csv` (where ASM digs under each strategy, by grid cell and zone) into dense
//! grids for the map chart.

use std::collections::BTreeMap;
use std::path::Path;

use super::csvfile::{CsvFile, invalid};
use super::error::ReportError;

/// Largest grid the report accepts (cells), so a corrupt coordinate cannot exhaust memory.
const MAX_CELLS: usize = 4_000_000;
/// Largest coordinate accepted on either axis.
const MAX_SIDE: u64 = 100_000;

/// Land-use zone of a grid cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Zone {
    /// The mine's pit and plant.
    Core,
    /// The rest of the concession.
    Periphery,
    /// Customary land.
    Community,
    /// ASM zone created outside the concession, or ceded area (`asm_zone`).
    Asm,
    /// Concession area leased to an ASM operator.
    Lease,
    /// Protected area.
    Protected,
}

impl Zone {
    fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "core" => Self::Core,
            "periphery" => Self::Periphery,
            "community" => Self::Community,
            "asm_zone" => Self::Asm,
            "lease" => Self::Lease,
            "protected" => Self::Protected,
            _ => return None,
        })
    }

    /// Whether the cell belongs to the company's concession.
    pub fn in_concession(self) -> bool {
        matches!(self, Self::Core | Self::Periphery | Self::Lease)
    }
}

/// One grid cell under one strategy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Cell {
    /// The cell's zone.
    pub zone: Zone,
    /// Mean miners digging on the cell per week over the final 52 weeks.
    pub miners: f64,
}

/// The grid for every strategy; cells missing from the file are `None`.
#[derive(Debug, Clone, Default)]
pub(crate) struct MapData {
    /// Grid width (max x + 1).
    pub width: usize,
    /// Grid height (max y + 1).
    pub height: usize,
    grids: BTreeMap<String, Vec<Option<Cell>>>,
}

impl MapData {
    /// The cell at (x, y) under `strategy`, if recorded.
    pub fn cell(&self, strategy: &str, x: usize, y: usize) -> Option<Cell> {
        let grid = self.grids.get(strategy)?;
        grid.get(y * self.width + x).copied().flatten()
    }

    /// Whether `strategy` has a map.
    pub fn has(&self, strategy: &str) -> bool {
        self.grids.contains_key(strategy)
    }

    /// Largest miners value over all strategies and cells.
    pub fn max_miners(&self) -> f64 {
        let cells = self.grids.values().flatten().flatten();
        cells.map(|c| c.miners).fold(0.0, f64::max)
    }
}

struct Entry {
    strategy: String,
    x: usize,
    y: usize,
    cell: Cell,
}

/// Reads `map.csv` at `path`.
pub(crate) fn read_map(path: &Path) -> Result<MapData, ReportError> {
    let csv = CsvFile::read(path)?;
    let entries = read_entries(&csv)?;
    let width = entries.iter().map(|e| e.x + 1).max().unwrap_or(0);
    let height = entries.iter().map(|e| e.y + 1).max().unwrap_or(0);
    if width.saturating_mul(height) > MAX_CELLS {
        let msg = format!("grid of {width} x {height} cells is too large to draw");
        return Err(invalid(path, &msg));
    }
    let mut grids: BTreeMap<String, Vec<Option<Cell>>> = BTreeMap::new();
    for e in entries {
        let grid = grids
            .entry(e.strategy)
            .or_insert_with(|| vec![None; width * height]);
        grid[e.y * width + e.x] = Some(e.cell);
    }
    Ok(MapData {
        width,
        height,
        grids,
    })
}

fn read_entries(csv: &CsvFile) -> Result<Vec<Entry>, ReportError> {
    let (s_col, x_col, y_col) = (csv.column("strategy")?, csv.column("x")?, csv.column("y")?);
    let (z_col, m_col) = (csv.column("zone")?, csv.column("miners_mean")?);
    let mut entries = Vec::with_capacity(csv.rows().len());
    for row in csv.rows() {
        let zone_text = csv.text(row, z_col)?;
        let zone = Zone::parse(&zone_text)
            .ok_or_else(|| csv.malformed(row, &format!("unknown zone `{zone_text}`")))?;
        let miners = csv.number(row, m_col)?;
        if miners < 0.0 {
            return Err(csv.malformed(row, "miners_mean is negative"));
        }
        let to_index = |col| match csv.integer(row, col)? {
            v if v < MAX_SIDE => Ok(v as usize),
            v => Err(csv.malformed(row, &format!("coordinate {v} is out of range"))),
        };
        entries.push(Entry {
            strategy: csv.text(row, s_col)?,
            x: to_index(x_col)?,
            y: to_index(y_col)?,
            cell: Cell { zone, miners },
        });
    }
    Ok(entries)
}
