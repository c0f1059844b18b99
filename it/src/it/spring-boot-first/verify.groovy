// Boot first: the build must fail on requireUpperBoundDeps, for the versions Boot 4.0.7 would have downgraded.
def log = new File(basedir, 'build.log').text
assert log.contains('RequireUpperBoundDeps failed') : 'expected requireUpperBoundDeps to fail'
assert log.contains('com.fasterxml.jackson.core:jackson-databind:2.21.4') : 'expected Jackson 2.21.4 to be named'
assert log.contains('org.eclipse.jetty:jetty-server:12.1.10') : 'expected Jetty 12.1.10 to be named'
assert log.contains('org.xerial:sqlite-jdbc:3.50.3.0') : 'expected SQLite 3.50.3.0 to be named'
return true
