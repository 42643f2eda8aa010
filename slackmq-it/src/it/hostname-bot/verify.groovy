// After the outside project's `mvn verify`: its test ran and passed, and the README shows exactly
// this project's dependency snippet and test, so the coordinates a reader copies are proven.
def reports = new File(basedir, 'target/surefire-reports')
def xml = reports.listFiles()?.find { it.name == 'TEST-com.example.HostnameBotTest.xml' }
assert xml != null : "no surefire report in ${reports}: the example test did not run"
def suite = xml.text
def count = { name -> (suite =~ /<testsuite[^>]* ${name}="(\d+)"/)[0][1] as int }
assert count('tests') == 1 && count('failures') == 0 && count('errors') == 0 && count('skipped') == 0

def readme = new File(basedir, '../../../../README.md').text
def pom = new File(basedir, 'pom.xml').text
def snippet = pom.substring(pom.indexOf('<!-- README: begin -->') + 22, pom.indexOf('<!-- README: end -->'))
    .stripIndent().trim()
assert readme.contains(snippet) : "README.md does not show slackmq-it/src/it/hostname-bot/pom.xml's snippet:\n${snippet}"
def test = new File(basedir, 'src/test/java/com/example/HostnameBotTest.java').text.trim()
assert readme.contains(test) : 'README.md does not show slackmq-it/src/it/hostname-bot/src/test/java/com/example/HostnameBotTest.java verbatim'
println "outside project: 1 test passed, README snippet and example match"
return true
