import 'apache-arrow'
