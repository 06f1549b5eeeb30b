//! One finished run as stored on disk, and the append-only file of them (`records.bin`).
//!
//! Every batch command streams its finished runs, in plan order, into a records file before
//! it aggregates them. The records file is what a shard hands to `merge` and what `--resume`
//! reads back, and every aggregate (summaries, timeseries percentiles, map means) is computed
//! from records, so a single machine, a merge of shards and a resumed run see exactly the
//! same numbers in the same order.
//!
//! Format (all integers and floats little-endian):
//!
//! ```text
//! file   = "COHABREC" u32:version(=1) record*
//! record = u32:len  body  u64:checksum         len = byte length of body
//! body   = u64:index u32:point u32:strategy u32:replicate u64:seed
//!          u32:n_values u32:n_series u32:n_map
//!          f64 x n_values   (metric values, raw, in METRICS order)
//!          f32 x n_series   (timeseries, periods x SERIES; empty for sweeps)
//!          f32 x n_map      (mean miners per cell over the final year; empty for sweeps)
//!          u8  x n_map      (zone of each cell at the end, see `zone_code`)
//! checksum = FNV-1a 64 of body
//! ```
//!
//! A record cut short or with a wrong checksum (a kill or power loss mid-write) ends the
//! valid prefix: [`RecordReader`] stops there and [`RecordWriter::resume`] truncates it.

use crate::rng::RunSeed;
use crate::world::Zone;
use std::fs::{File, OpenOptions};
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;

const MAGIC: &[u8; 8] = b"COHABREC";
const VERSION: u32 = 1;
const HEADER: u64 = 12;
/// Largest body accepted when reading (a corrupt length must not allocate gigabytes).
const MAX_BODY: u32 = 1 << 30;

/// One finished run: where it sits in the plan and what it produced.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// Position in the whole plan (run order).
    pub index: u64,
    /// Design point (0 for a plain run).
    pub point: u32,
    /// Index into the scenario's strategies.
    pub strategy: u32,
    /// Replicate (0-based).
    pub replicate: u32,
    /// The run's seed.
    pub seed: RunSeed,
    /// Output values in the evaluator's order (for cohabit: `metrics::METRICS`), raw.
    pub values: Vec<f64>,
    /// Timeseries (periods x `metrics::SERIES`), empty when not kept.
    pub series: Vec<f32>,
    /// Mean miners per cell per week over the final year, empty when not kept.
    pub map: Vec<f32>,
    /// Zone code of each cell (same length as `map`).
    pub zones: Vec<u8>,
}

impl Record {
    /// The record's bytes: length, body, checksum.
    pub fn encode(&self) -> Vec<u8> {
        let mut body = Vec::with_capacity(
            40 + self.values.len() * 8 + self.series.len() * 4 + self.map.len() * 5,
        );
        body.extend_from_slice(&self.index.to_le_bytes());
        for x in [self.point, self.strategy, self.replicate] {
            body.extend_from_slice(&x.to_le_bytes());
        }
        body.extend_from_slice(&self.seed.0.to_le_bytes());
        for n in [self.values.len(), self.series.len(), self.map.len()] {
            body.extend_from_slice(&(n as u32).to_le_bytes());
        }
        self.values
            .iter()
            .for_each(|v| body.extend_from_slice(&v.to_le_bytes()));
        self.series
            .iter()
            .for_each(|v| body.extend_from_slice(&v.to_le_bytes()));
        self.map
            .iter()
            .for_each(|v| body.extend_from_slice(&v.to_le_bytes()));
        body.extend_from_slice(&self.zones);
        let mut out = Vec::with_capacity(body.len() + 12);
        out.extend_from_slice(&(body.len() as u32).to_le_bytes());
        out.extend_from_slice(&body);
        out.extend_from_slice(&fnv1a(&body).to_le_bytes());
        out
    }

    /// Decodes a body whose checksum was verified; `None` if its lengths do not add up.
    fn decode(body: &[u8]) -> Option<Record> {
        let mut at = 0usize;
        let mut take = |n: usize| -> Option<&[u8]> {
            let s = body.get(at..at + n)?;
            at += n;
            Some(s)
        };
        let u64_ = |b: &[u8]| u64::from_le_bytes(b.try_into().expect("8 bytes"));
        let u32_ = |b: &[u8]| u32::from_le_bytes(b.try_into().expect("4 bytes"));
        let index = u64_(take(8)?);
        let point = u32_(take(4)?);
        let strategy = u32_(take(4)?);
        let replicate = u32_(take(4)?);
        let seed = RunSeed(u64_(take(8)?));
        let nv = u32_(take(4)?) as usize;
        let ns = u32_(take(4)?) as usize;
        let nm = u32_(take(4)?) as usize;
        if 40 + nv * 8 + ns * 4 + nm * 5 != body.len() {
            return None;
        }
        let values = take(nv * 8)?
            .chunks(8)
            .map(|c| f64::from_le_bytes(c.try_into().expect("8")))
            .collect();
        let series = take(ns * 4)?
            .chunks(4)
            .map(|c| f32::from_le_bytes(c.try_into().expect("4")))
            .collect();
        let map = take(nm * 4)?
            .chunks(4)
            .map(|c| f32::from_le_bytes(c.try_into().expect("4")))
            .collect();
        let zones = take(nm)?.to_vec();
        Some(Record {
            index,
            point,
            strategy,
            replicate,
            seed,
            values,
            series,
            map,
            zones,
        })
    }
}

/// FNV-1a, 64 bits: enough to tell a torn or corrupted record from a whole one.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The one-byte code of a zone in records (stable: never reorder).
pub fn zone_code(z: Zone) -> u8 {
    match z {
        Zone::Core => 0,
        Zone::Periphery => 1,
        Zone::Community => 2,
        Zone::AsmZone => 3,
        Zone::Lease => 4,
        Zone::Protected => 5,
    }
}

/// The zone of a code written by [`zone_code`].
pub fn zone_of(code: u8) -> Option<Zone> {
    Some(match code {
        0 => Zone::Core,
        1 => Zone::Periphery,
        2 => Zone::Community,
        3 => Zone::AsmZone,
        4 => Zone::Lease,
        5 => Zone::Protected,
        _ => return None,
    })
}

/// Reads the valid prefix of a records file, record by record.
pub struct RecordReader {
    reader: BufReader<File>,
    /// Bytes of whole, valid records read so far (including the file header).
    valid: u64,
}

impl RecordReader {
    /// Opens a records file; errors if it is not one.
    pub fn open(path: &Path) -> io::Result<RecordReader> {
        let mut reader = BufReader::new(File::open(path)?);
        let mut head = [0u8; HEADER as usize];
        reader
            .read_exact(&mut head)
            .map_err(|_| not_records(path))?;
        if &head[..8] != MAGIC || head[8..] != VERSION.to_le_bytes() {
            return Err(not_records(path));
        }
        Ok(RecordReader {
            reader,
            valid: HEADER,
        })
    }

    /// The next whole, valid record; `None` at the end of the valid prefix.
    pub fn next_record(&mut self) -> io::Result<Option<Record>> {
        let mut len = [0u8; 4];
        if !read_full(&mut self.reader, &mut len)? {
            return Ok(None);
        }
        let len = u32::from_le_bytes(len);
        if len > MAX_BODY {
            return Ok(None);
        }
        let mut body = vec![0u8; len as usize + 8];
        if !read_full(&mut self.reader, &mut body)? {
            return Ok(None);
        }
        let (body, sum) = body.split_at(len as usize);
        if fnv1a(body).to_le_bytes() != sum {
            return Ok(None);
        }
        let Some(record) = Record::decode(body) else {
            return Ok(None);
        };
        self.valid += 4 + u64::from(len) + 8;
        Ok(Some(record))
    }

    /// Bytes of the valid prefix read so far.
    pub fn valid_len(&self) -> u64 {
        self.valid
    }
}

fn not_records(path: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("{} is not a cohabit records file", path.display()),
    )
}

/// Fills `buf`; false at a clean or torn end of file.
fn read_full(r: &mut impl Read, buf: &mut [u8]) -> io::Result<bool> {
    match r.read_exact(buf) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Ok(false),
        Err(e) => Err(e),
    }
}

/// Appends records to a records file.
pub struct RecordWriter {
    writer: BufWriter<File>,
}

impl RecordWriter {
    /// Starts a new, empty records file (replacing any file of that name).
    pub fn create(path: &Path) -> io::Result<RecordWriter> {
        let mut file = File::create(path)?;
        file.write_all(MAGIC)?;
        file.write_all(&VERSION.to_le_bytes())?;
        file.sync_all()?;
        Ok(RecordWriter {
            writer: BufWriter::new(file),
        })
    }

    /// Reopens a records file to append after its valid prefix of `valid_len` bytes
    /// (from [`RecordReader::valid_len`]), cutting off any torn record after it.
    pub fn resume(path: &Path, valid_len: u64) -> io::Result<RecordWriter> {
        let mut file = OpenOptions::new().write(true).open(path)?;
        file.set_len(valid_len)?;
        file.seek(SeekFrom::Start(valid_len))?;
        file.sync_all()?;
        Ok(RecordWriter {
            writer: BufWriter::new(file),
        })
    }

    /// Appends one record (buffered; see [`RecordWriter::sync`]).
    pub fn append(&mut self, r: &Record) -> io::Result<()> {
        self.writer.write_all(&r.encode())
    }

    /// Pushes buffered records to the disk (survives a power loss once this returns).
    pub fn sync(&mut self) -> io::Result<()> {
        self.writer.flush()?;
        self.writer.get_ref().sync_data()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(index: u64) -> Record {
        Record {
            index,
            point: 3,
            strategy: 1,
            replicate: 2,
            seed: RunSeed(99),
            values: vec![1.5, -0.0, 1e300],
            series: vec![0.25, 7.0],
            map: vec![1.0, 2.0],
            zones: vec![0, 5],
        }
    }

    #[test]
    fn records_round_trip_and_torn_tails_are_cut() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("records.bin");
        let mut w = RecordWriter::create(&path).unwrap();
        w.append(&sample(0)).unwrap();
        w.append(&sample(1)).unwrap();
        w.sync().unwrap();
        drop(w);
        // A torn third record.
        let mut bytes = std::fs::read(&path).unwrap();
        bytes.extend_from_slice(&sample(2).encode()[..20]);
        std::fs::write(&path, &bytes).unwrap();
        let mut r = RecordReader::open(&path).unwrap();
        assert_eq!(r.next_record().unwrap(), Some(sample(0)));
        assert_eq!(r.next_record().unwrap(), Some(sample(1)));
        assert_eq!(r.next_record().unwrap(), None);
        let valid = r.valid_len();
        let mut w = RecordWriter::resume(&path, valid).unwrap();
        w.append(&sample(2)).unwrap();
        w.sync().unwrap();
        let mut r = RecordReader::open(&path).unwrap();
        let all: Vec<u64> = std::iter::from_fn(|| r.next_record().unwrap())
            .map(|x| x.index)
            .collect();
        assert_eq!(all, [0, 1, 2]);
    }

    #[test]
    fn a_flipped_byte_ends_the_valid_prefix() {
        let mut bytes = sample(0).encode();
        bytes[10] ^= 1;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.bin");
        let mut file = MAGIC.to_vec();
        file.extend_from_slice(&VERSION.to_le_bytes());
        file.extend_from_slice(&bytes);
        std::fs::write(&path, file).unwrap();
        assert_eq!(
            RecordReader::open(&path).unwrap().next_record().unwrap(),
            None
        );
    }

    #[test]
    fn zone_codes_round_trip() {
        for (i, z) in Zone::ALL.into_iter().enumerate() {
            assert_eq!(z.index(), i, "Zone::ALL is in index order");
            assert_eq!(zone_of(zone_code(z)), Some(z));
        }
    }
}
