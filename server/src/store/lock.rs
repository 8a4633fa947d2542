//! One way to take a lock in the store and the layers above it.

use std::sync::{Mutex, MutexGuard};

/// Takes a lock whose holder panicked anyway: every holder in the store (and the page
/// cache above it) makes its change whole before anything can panic, and SQLite rolls
/// back what a panic interrupted.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
