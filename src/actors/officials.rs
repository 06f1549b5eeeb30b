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
    for i in 0..m.capacity() {
        if !m.active[i] || m.permit[i] != Permit::Pending || m.permit_week[i] > now.week {
            continue;
        }
        if w.grid.zone[m.cell[i] as usize] == Zone::Lease {
            m.permit[i] = Permit::Held;
        } else if capacity > 0 {
            m.permit[i] = Permit::Held;
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
