//! Integration tests of the web layer over real HTTP (`spawn_app` on port 0).

mod access_scope;
mod api_errors;
mod auth;
mod duties_pages;
mod jobs;
mod lead_pages;
mod leads_pages;
mod journey;
mod ops;
mod orglife_pages;
mod pages;
mod rectify_api;
mod public_pages;
mod rectify_sheets;
mod rectify_pages;
mod rectify_seed;
mod spot_pages;
mod tasks_pages;
mod tour;
