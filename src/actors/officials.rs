//! Officials: the local mining official processes permits (slowly or fast, within a
//! capacity), and the government's forces come and go. The official's shutdowns of informal
//! sites are in `security`.

use super::{Now, Plan};
use crate::world::{Permit, World, Zone};

/// Grant pending permits whose processing time has passed, up to the official's weekly
/// capacity; lease memberships are the operator's and need no official.
pub fn permits(w: &mut World, p: &Plan, now: &Now) {
    let mut capacity = p.s.officials.permits_per_week;
    let m = &mut w.miners;
    let n = m.capacity();
    let (active, cell, permit_week) = (&m.active[..n], &m.cell[..n], &m.permit_week[..n]);
    let permit = &mut m.permit[..n];
    for i in 0..n {
        // One test for the common case (no permit due), not three.
        let due = active[i] & (permit[i] == Permit::Pending) & (permit_week[i] <= now.week);
        if !due {
            continue;
        }
        if w.grid.zone[cell[i] as usize] == Zone::Lease {
            permit[i] = Permit::Held;
        } else if capacity > 0 {
            permit[i] = Permit::Held;
            capacity -= 1;
        }
    }
}

/// End of week: deployments run down.
pub fn end_week(w: &mut World) {
    if w.state.forces_left > 0 {
        w.state.forces_left -= 1;
        if w.state.forces_left == 0 {
            w.state.forces_company = false;
        }
    }
}
